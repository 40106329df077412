import type { Logger } from '@aws-lambda-powertools/logger';
import { Activity } from '@microsoft/agents-activity';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod/mini';
import {
  MalformedJsonError,
  PayloadTooLargeError,
  refusalOf,
  UnauthenticatedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../http/errors.ts';
import { issuesOf } from '../http/request.ts';
import { errorResponse, jsonResponse } from '../http/response.ts';
import { type BotDeps, handleActivity } from './bot.ts';
import type { ConnectorAuthenticator } from './connector-auth.ts';
import { conversationReferenceOf, type createBotAdapter } from './sdk.ts';
import { isAllowedServiceUrl } from './service-urls.ts';

export interface MessagesDeps {
  bot: BotDeps;
  connectorAuth: ConnectorAuthenticator;
  adapter: ReturnType<typeof createBotAdapter>;
  serviceUrlHosts: readonly string[];
  logger: Logger;
  clock: () => Date;
  /**
   * Local development only, never the default: accept the Bot Framework Emulator's unsigned traffic.
   * Set by `npm start -- --teams-emulator`; the Lambda never sets it.
   */
  acceptUnsignedEmulator?: boolean;
  /**
   * Local development only, never the default (issue 19): accept the Microsoft 365 Agents Playground's
   * unsigned Teams traffic, and only what names exactly its own service URL and its made-up tenant. Set by
   * `npm start -- --teams-playground`; the Lambda never sets it.
   */
  acceptUnsignedPlayground?: { serviceUrl: string; tenantId: string };
}

/** Who Bot Framework Emulator traffic is, locally (`npm start -- --teams-emulator` links it to a demo user). */
export const EMULATOR_USER = { tenantId: 'local-emulator', aadObjectId: 'emulator-user' } as const;

/** Activities are a few KB; Teams caps messages well below this. */
const MAX_ACTIVITY_BYTES = 64 * 1024;

/** What the handler needs of an activity before anything else looks at it; the rest passes through. */
/**
 * Activity and conversation ids go into the Connector API's URL paths unencoded (the SDK does not encode
 * them); Bot Framework's own never contain a path separator, query, fragment, escape or space.
 */
const PathSafeId = (max: number) =>
  z.string().check(z.minLength(1), z.maxLength(max), z.regex(/^[^\s/?#%\\]+$/));

const IncomingActivity = z.looseObject({
  type: z.string().check(z.maxLength(64)),
  id: PathSafeId(256),
  channelId: z.string().check(z.minLength(1), z.maxLength(64)),
  serviceUrl: z.string().check(z.maxLength(2048)),
  text: z.optional(z.string().check(z.maxLength(4000))),
  value: z.optional(z.unknown()),
  locale: z.optional(z.string().check(z.maxLength(32))),
  localTimezone: z.optional(z.string().check(z.maxLength(64))),
  // A reply is addressed by these ids: an empty one cannot be answered, so it is refused here, not by the SDK.
  from: z.looseObject({
    id: z.string().check(z.minLength(1), z.maxLength(256)),
    aadObjectId: z.optional(z.string().check(z.maxLength(64))),
  }),
  recipient: z.looseObject({ id: z.string().check(z.minLength(1), z.maxLength(256)) }),
  conversation: z.looseObject({
    id: PathSafeId(512),
    tenantId: z.optional(z.string().check(z.maxLength(64))),
  }),
  channelData: z.optional(
    z.looseObject({
      tenant: z.optional(z.looseObject({ id: z.optional(z.string().check(z.maxLength(64))) })),
    }),
  ),
});

/** The paths (never the values: they may be a youth's words) of what the SDK's schema refuses, if anything. */
function sdkRefusal(activity: unknown): Array<{ path: string; message: string }> | null {
  try {
    Activity.fromObject(activity as Record<string, unknown>);
    return null;
  } catch (error) {
    const issues = (error as { issues?: Array<{ path?: unknown[] }> }).issues;
    return (issues ?? [{ path: [] }]).map((issue) => ({
      path: (issue.path ?? []).map(String).join('.') || 'activity',
      message: 'not accepted by the Bot Framework activity schema',
    }));
  }
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {}))
    if (key.toLowerCase() === name) return value;
  return undefined;
}

/**
 * Issue 19: an activity from the Agents Playground, locally: the Teams channel, the Playground's own service
 * URL exactly (its mocked Bot Connector, where the reply will go) and its made-up tenant. Anything else,
 * a real tenant's user included, still needs Bot Framework's signature.
 */
function fromPlayground(
  activity: z.infer<typeof IncomingActivity>,
  playground: MessagesDeps['acceptUnsignedPlayground'],
): boolean {
  if (!playground) return false;
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  return (
    activity.channelId === 'msteams' &&
    activity.serviceUrl === playground.serviceUrl &&
    tenantId === playground.tenantId
  );
}

/**
 * `POST /api/messages`: Bot Framework delivers Teams activities here. Every Bot Connector check runs before
 * the activity is read for meaning; replies go back through the Agents SDK within the same request (a turn
 * takes tens of milliseconds, far inside Teams' 15 seconds).
 */
export function makeMessagesHandler(deps: () => MessagesDeps | Promise<MessagesDeps>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const resolved = await deps();
    const { logger } = resolved;
    const keys = { route: 'teamsMessages', correlationId: event.requestContext?.requestId ?? 'unknown' };
    try {
      const raw = event.isBase64Encoded
        ? Buffer.from(event.body ?? '', 'base64')
        : Buffer.from(event.body ?? '', 'utf8');
      if (raw.length > MAX_ACTIVITY_BYTES) throw new PayloadTooLargeError(MAX_ACTIVITY_BYTES);
      // Issue 18: Bot Framework always sends JSON. Anything else is refused before it is read, so a web page's
      // form or `text/plain` "simple" request (no CORS preflight) can never reach the bot.
      if (!/^application\/json\s*(;|$)/i.test(header(event, 'content-type') ?? ''))
        throw new UnsupportedMediaTypeError();
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        throw new MalformedJsonError();
      }
      const checked = IncomingActivity.safeParse(parsed);
      if (!checked.success) throw new ValidationError(issuesOf(checked.error));
      // Issue 18: the SDK validates the activity again with its own, stricter schema (an empty `locale`, for
      // one) and its refusal surfaced as a 500. Whatever it would refuse is the sender's error: a 400 here.
      const sdkIssues = sdkRefusal(parsed);
      if (sdkIssues) throw new ValidationError(sdkIssues);
      const activity = checked.data;
      const emulator = resolved.acceptUnsignedEmulator === true && activity.channelId === 'emulator';
      const playground = fromPlayground(activity, resolved.acceptUnsignedPlayground);
      const claims =
        emulator || playground
          ? { serviceurl: activity.serviceUrl }
          : await resolved.connectorAuth.verify(header(event, 'authorization'), activity);
      // A reply carries the bot's own token: never towards a host this deployment does not trust.
      if (!isAllowedServiceUrl(activity.serviceUrl, resolved.serviceUrlHosts))
        throw new UnauthenticatedError();
      // Only messages (typed text and card presses) mean anything here; the rest (conversation updates, typing,
      // invokes this bot never asks for) is acknowledged and left alone.
      if (activity.type !== 'message') {
        const known = [
          'conversationUpdate',
          'typing',
          'invoke',
          'messageReaction',
          'installationUpdate',
          'event',
        ];
        logger.info('activity ignored', {
          ...keys,
          activityType: known.includes(activity.type) ? activity.type : 'other',
        });
        return { statusCode: 200, headers: { 'cache-control': 'no-store' }, body: '' };
      }
      // The Emulator has no Entra identity: locally every Emulator user is the one user `npm start` linked.
      const asSent = emulator
        ? {
            ...activity,
            from: { ...activity.from, aadObjectId: EMULATOR_USER.aadObjectId },
            conversation: { ...activity.conversation, tenantId: EMULATOR_USER.tenantId },
          }
        : activity;
      const result = await resolved.adapter.process({ activity, claims }, async (io) => {
        const replies = await handleActivity(
          resolved.bot,
          asSent,
          conversationReferenceOf(io.activity) as Record<string, unknown>,
          resolved.clock(),
        );
        if (replies.length > 0) await io.send(replies);
      });
      if (result.error !== undefined) {
        // Only the error's name and status: an SDK HTTP error carries the outgoing activity (answers, cards).
        const failure = result.error as { name?: unknown; status?: unknown };
        logger.error('activity not answered', {
          ...keys,
          errorName: typeof failure?.name === 'string' ? failure.name : typeof result.error,
          ...(typeof failure?.status === 'number' ? { upstreamStatus: failure.status } : {}),
        });
      } else {
        logger.info('activity handled', { ...keys, status: result.status, activityType: activity.type });
      }
      return result.body === undefined
        ? { statusCode: result.status, headers: { 'cache-control': 'no-store' }, body: '' }
        : jsonResponse(result.status, result.body);
    } catch (error) {
      const refusal = refusalOf(error);
      if (refusal) {
        logger.info('activity refused', { ...keys, status: refusal.status, code: refusal.code });
        return errorResponse(refusal);
      }
      logger.error('activity failed', {
        ...keys,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      return jsonResponse(500, {
        error: { code: 'internal_error', message: 'The activity could not be handled.' },
      });
    }
  };
}
