import { Activity, type ConversationReference } from '@microsoft/agents-activity';
import {
  type AuthConfiguration,
  type AuthProvider,
  AuthType,
  CloudAdapter,
  ConnectionManager,
  type ConnectorClient,
  HttpError,
  MsalConnectionManager,
  OutboundHostValidator,
  type Request,
  type TurnContext,
  type WebResponse,
} from '@microsoft/agents-hosting';
import * as z from 'zod/mini';
import { isAllowedServiceUrl } from './service-urls.ts';

/**
 * The one module that touches the Microsoft 365 Agents SDK (1.8.x), so its quirks stay here: it is given
 * an already-verified activity (connector-auth.ts does the Bot Framework checks, the SDK's own JWT check is
 * never used), it sends only to allow-listed service URLs, and its errors come back as values we can map.
 */
export type { Activity, ConversationReference };

export interface OutgoingTokenSource {
  getToken(): Promise<string>;
}

export interface BotAdapterOptions {
  appId: string;
  /**
   * In AWS: MSAL client credentials (the client id is `appId`). In tests: a fixed token source, so nothing
   * contacts Azure AD.
   */
  credentials: { clientSecret: string; tenantId: string } | { tokenSource: OutgoingTokenSource };
  /** Hosts replies may go to (see service-urls.ts); checked before any send, failing closed. */
  serviceUrlHosts: readonly string[];
}

export interface IncomingTurn {
  /** The already-parsed JSON body. */
  activity: Record<string, unknown>;
  /** The verified token's claims; `serviceurl` is what the SDK compares the activity's service URL with. */
  claims: { readonly serviceurl?: unknown; readonly [claim: string]: unknown };
}

/**
 * What a reply or proactive message may be: our own plain message types (interfaces without an index
 * signature) as well as the SDK's. The SDK validates each when it sends it; no `type` means a message.
 */
export interface PlainActivity {
  type?: string;
  text?: string;
  textFormat?: string;
  attachments?: ReadonlyArray<{ contentType: string; content?: unknown }>;
  value?: unknown;
}
export type OutgoingActivity = PlainActivity | Partial<Activity>;

/**
 * A conversation reference as stored (plain JSON). A mapped type rather than the SDK's interface, so it
 * also fits `Record<string, unknown>`.
 */
export type StoredConversationReference = Pick<ConversationReference, keyof ConversationReference>;

export interface TurnIo {
  readonly activity: Activity;
  /** Sends in order, each after the previous one was accepted. */
  send(activities: readonly OutgoingActivity[]): Promise<void>;
}

export interface TurnResult {
  status: number;
  body?: unknown;
  /** Why the turn failed (status 500): for the caller to log, as this module logs nothing. */
  error?: unknown;
}

export interface BotAdapter {
  process(turn: IncomingTurn, logic: (io: TurnIo) => Promise<void>): Promise<TurnResult>;
  /** `reference` as `conversationReferenceOf` gave it, read back from storage: checked here. */
  sendProactive(
    reference: Readonly<Record<string, unknown>>,
    activities: readonly OutgoingActivity[],
  ): Promise<void>;
}

export class ConnectorThrottledError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`The Bot Connector throttled the send; retry after ${retryAfterSeconds} s.`);
    this.name = 'ConnectorThrottledError';
  }
}

export class UntrustedServiceUrlError extends Error {
  constructor() {
    super('The service URL is not an allowed Bot Framework host; nothing was sent.');
    this.name = 'UntrustedServiceUrlError';
  }
}

const CONNECTION = 'serviceConnection';
const StoredReference = z.looseObject({
  channelId: z.string().check(z.minLength(1)),
  serviceUrl: z.string(),
  conversation: z.looseObject({ id: z.string().check(z.minLength(1)) }),
});
// Bot Connector 429s without Retry-After still need a wait; one second is the smallest honest guess.
const DEFAULT_RETRY_AFTER_SECONDS = 1;

function retryAfterSeconds(header: string | null): number {
  const value = header?.trim() ?? '';
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return DEFAULT_RETRY_AFTER_SECONDS;
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * The SDK makes one attempt per send and throws its HttpError. Only 429 is translated: the HttpError also
 * carries the outgoing activity (`data`), so callers should log its status rather than the whole error.
 */
async function throttleAware<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof HttpError && error.status === 429) {
      throw new ConnectorThrottledError(retryAfterSeconds(error.response.headers.get('retry-after')));
    }
    throw error;
  }
}

/** A reply or proactive message carries the bot's token, so it may only go where the deployment trusts. */
function assertTrusted(serviceUrl: unknown, hosts: readonly string[]): void {
  if (typeof serviceUrl !== 'string' || !isAllowedServiceUrl(serviceUrl, hosts)) {
    throw new UntrustedServiceUrlError();
  }
}

/** The SDK's parser requires a `type`; a message is what an activity without one means. */
function asMessage(partial: OutgoingActivity): Activity {
  return Activity.fromObject({ ...partial, type: partial.type ?? 'message' });
}

function fixedTokenProvider(settings: AuthConfiguration, source: OutgoingTokenSource): AuthProvider {
  const unsupported = async (): Promise<never> => {
    throw new Error('Only app tokens for the Bot Connector are configured.');
  };
  return {
    connectionSettings: settings,
    getAccessToken: () => source.getToken(),
    getAgenticApplicationToken: unsupported,
    getAgenticInstanceToken: unsupported,
    getAgenticUserToken: unsupported,
    acquireTokenOnBehalfOf: unsupported,
  };
}

/**
 * The SDK merges environment variables into the configuration it is given: bare `clientId`, `clientSecret`,
 * `tenantId`, `authType`… (case-insensitive) fill any key not passed, and `Connections__*` settings replace
 * the config entirely unless `connections` is passed. So the connection is passed explicitly, with every
 * key that decides where a token comes from, and the connection manager is built from it alone. Caveat:
 * the adapter's own merged `authConfig` can still pick up such variables, but it only feeds the JWT
 * middleware this module never calls. `TOKEN_SERVICE_ENDPOINT` steers only the user-token (OAuth) client,
 * which is unused.
 */
function connectionSettingsOf(options: BotAdapterOptions): AuthConfiguration {
  const base: AuthConfiguration = {
    clientId: options.appId,
    authorityEndpoint: 'https://login.microsoftonline.com',
  };
  if ('tokenSource' in options.credentials) return base;
  return {
    ...base,
    authType: AuthType.ClientSecret,
    clientSecret: options.credentials.clientSecret,
    tenantId: options.credentials.tenantId,
  };
}

/** The SDK writes the channel's HTTP answer to an Express-like response; this one just keeps it. */
class RecordedResponse implements WebResponse {
  statusCode: number | undefined;
  body: unknown;
  headersSent = false;
  writableEnded = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  setHeader(): this {
    return this;
  }

  send(body?: unknown): this {
    this.body = body;
    return this;
  }

  end(): this {
    this.writableEnded = true;
    return this;
  }
}

export function createBotAdapter(options: BotAdapterOptions): BotAdapter {
  const hosts = [...options.serviceUrlHosts];
  const settings = connectionSettingsOf(options);
  const connections = new Map([[CONNECTION, settings]]);
  const connectionsMap = [{ serviceUrl: '*', connection: CONNECTION }];

  const adapter = new CloudAdapter(
    { ...settings, connections, connectionsMap },
    undefined,
    undefined,
    // Explicit, so `CloudAdapterOptions__*` variables cannot turn the claim check off.
    { emitStackTrace: false, validateServiceUrl: true },
    // Explicit and off, so `OutboundHostValidator__*` variables cannot install a second, looser allow-list
    // (suffix match, any scheme): `assertTrusted` is the policy.
    new OutboundHostValidator({ enabled: false }),
  );
  const credentials = options.credentials;
  adapter.connectionManager =
    'tokenSource' in credentials
      ? new ConnectionManager(
          (config) => fixedTokenProvider(config, credentials.tokenSource),
          connections,
          connectionsMap,
        )
      : new MsalConnectionManager(connections, connectionsMap);
  // The default handler posts "The agent encountered an error or bug." to the user and, if that send fails
  // too, loses the original error. Rethrowing lets `process` and `sendProactive` report it instead.
  adapter.onTurnError = async (_context, error) => {
    throw error;
  };

  const ioFor = (context: TurnContext): TurnIo => ({
    activity: context.activity,
    async send(activities) {
      if (activities.length === 0) return;
      assertTrusted(context.activity.serviceUrl, hosts);
      await throttleAware(() => context.sendActivities(activities.map(asMessage)));
    },
  });

  return {
    async process(turn, logic) {
      let failure: { error: unknown } | undefined;
      const response = new RecordedResponse();
      const request: Request = {
        method: 'POST',
        headers: {},
        body: turn.activity,
        // The identity `process` trusts (it never checks the token itself). Without `aud` it would reply
        // anonymously, with no token; `azp`/`appid` are left out as they would change the token's scope.
        user: { aud: options.appId, serviceurl: turn.claims.serviceurl },
      };
      try {
        await adapter.process(request, response, async (context) => {
          // Caught here rather than in onTurnError: the SDK replaces a thrown non-Error with its own.
          try {
            await logic(ioFor(context));
          } catch (error) {
            failure = { error };
          }
        });
      } catch (error) {
        // Before logic runs the SDK can still fail, e.g. fetching the outgoing token.
        failure ??= { error };
      }
      if (failure) return { status: 500, error: failure.error };
      if (response.statusCode === undefined) return { status: 500, error: new Error('No response written.') };
      return response.body === undefined
        ? { status: response.statusCode }
        : { status: response.statusCode, body: response.body };
    },

    async sendProactive(reference, activities) {
      // Checked before the SDK fetches a token, and again before each send.
      assertTrusted(reference.serviceUrl, hosts);
      const parsed = StoredReference.safeParse(reference);
      if (!parsed.success) throw new TypeError('Not a stored conversation reference.');
      // Only the fields the SDK needs before it parses the rest itself (Activity.fromObject).
      const stored = parsed.data as ConversationReference;
      await adapter.continueConversation(options.appId, stored, async (context) => {
        const connector = context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey);
        // The SDK would reply to the stored activity id, or to a random one when there is none; a proactive
        // message is a new message in the conversation (a Teams thread is already part of its id).
        const { activityId: _replyTo, ...target } = context.activity.getConversationReference();
        for (const partial of activities) {
          const activity = asMessage(partial).applyConversationReference(target);
          delete activity.id;
          assertTrusted(activity.serviceUrl, hosts);
          await throttleAware(() => connector.sendToConversation(target.conversation.id, activity));
        }
      });
    },
  };
}

/**
 * The reference to store for proactive messages. A JSON round trip makes it plain data and drops the
 * `undefined` fields DynamoDB's marshaller refuses.
 */
export function conversationReferenceOf(activity: Activity): StoredConversationReference {
  return JSON.parse(JSON.stringify(activity.getConversationReference()));
}
