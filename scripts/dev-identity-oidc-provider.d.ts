/**
 * The part of oidc-provider's API (https://github.com/panva/node-oidc-provider, it ships no types) that the
 * development identity provider uses, typed narrowly so the configuration is checked where it is written.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface AdapterPayload {
    [key: string]: unknown;
    grantId?: string;
    uid?: string;
    userCode?: string;
    consumed?: number;
  }

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientModel {
    clientId: string;
    redirectUriAllowed(value: string): boolean;
    postLogoutRedirectUriAllowed(value: string): boolean;
    grantTypeAllowed(type: string): boolean;
  }

  export interface GrantModel {
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    save(): Promise<string>;
  }

  export interface KoaContextWithOIDC {
    set(name: string, value: string): void;
    response: { get(name: string): string };
    oidc: {
      provider: Provider;
      client?: ClientModel;
      route?: string;
      session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      result?: { login?: { accountId: string }; consent?: { grantId?: string } };
      requestParamScopes: Set<string>;
      requestParamClaims: Set<string>;
    };
  }

  export interface Account {
    accountId: string;
    claims(use: 'id_token' | 'userinfo', scope: string): Record<string, unknown>;
  }

  export interface Interaction {
    uid: string;
    prompt: { name: string };
    params: Record<string, unknown>;
  }

  export class Check {
    static REQUEST_PROMPT: boolean;
    static NO_NEED_TO_PROMPT: boolean;
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean);
  }

  export interface PromptPolicy
    extends Array<{ name: string; checks: Check[] & { add(check: Check, index?: number): void } }> {
    get(name: string): { name: string; checks: { add(check: Check, index?: number): void } } | undefined;
    remove(name: string): void;
  }

  export const interactionPolicy: { base(): PromptPolicy; Check: typeof Check };

  // biome-ignore lint/suspicious/noExplicitAny: the configuration object is oidc-provider's, checked at run time
  export type Configuration = Record<string, any>;

  export class Provider {
    constructor(issuer: string, configuration: Configuration);
    Client: { prototype: ClientModel };
    Grant: {
      new (properties: { accountId: string; clientId: string }): GrantModel;
      find(id: string): Promise<GrantModel | undefined>;
    };
    proxy: boolean;
    callback(): (request: IncomingMessage, response: ServerResponse) => void;
    use(middleware: (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(request: IncomingMessage, response: ServerResponse): Promise<Interaction>;
    interactionFinished(
      request: IncomingMessage,
      response: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }

  export default Provider;
}
