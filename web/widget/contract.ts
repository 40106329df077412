import * as z from 'zod/mini';

/**
 * Issue 18: the widget's UI and its token live in an iframe served from the deployment's own origin
 * (`/widget/frame.html`); the shelter's page only holds the loader (`widget.js`). The two talk through this
 * narrow postMessage contract and nothing else. No message ever carries a token, an answer or a case
 * reference; each side checks the sender's window and exact origin, then the shape, and drops the rest.
 *
 * Frame → host: `resize` (the height the widget wants), `phase` (mirrored on the host element as
 * `data-phase`), `exit` (the frame has cleared itself: leave the page now).
 * Host → frame: `quick-exit` (clear everything, then answer `exit`).
 * Sign-in window → frame (same origin only): `signed-in`, the identity provider's answer (`code`, `state`).
 */

/** Every message of the widget says so, so other scripts' messages are told apart (and ignored quietly). */
export const CHANNEL = 'cse-widget';
const channel = z.literal(CHANNEL);

const PHASES = ['reference', 'resume', 'screening', 'done'] as const;

export const FrameToHost = z.discriminatedUnion('type', [
  z.strictObject({
    channel,
    type: z.literal('resize'),
    height: z.number().check(z.int(), z.gte(0), z.lte(20_000)),
  }),
  z.strictObject({ channel, type: z.literal('phase'), phase: z.nullable(z.enum(PHASES)) }),
  z.strictObject({ channel, type: z.literal('exit') }),
]);
export type FrameToHost = z.infer<typeof FrameToHost>;

export const HostToFrame = z.strictObject({ channel, type: z.literal('quick-exit') });
export type HostToFrame = z.infer<typeof HostToFrame>;

/**
 * From the sign-in window (the frame page, top level, on the deployment's origin) to the frame that opened it:
 * the provider's answer to the authorization request, `code` (or `error`), `state` and, where the provider
 * names itself (RFC 9207), `iss`. Never a token: the frame trades the code with the PKCE verifier it alone holds.
 */
const param = z.string().check(z.minLength(1), z.maxLength(2048));
export const SignInAnswer = z.strictObject({
  channel,
  type: z.literal('signed-in'),
  state: z.string().check(z.minLength(1), z.maxLength(200)),
  code: z.optional(param),
  iss: z.optional(param),
  error: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
  error_description: z.optional(z.string().check(z.maxLength(1000))),
});
export type SignInAnswer = z.infer<typeof SignInAnswer>;

/** Whether a message claims to be the widget's (so a refusal is worth a warning in the console). */
export function isWidgetMessage(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as { channel?: unknown }).channel === CHANNEL;
}

/** An origin exactly as `location.origin` spells it (`https://shelter.example`), or null. */
export function exactOrigin(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? value : null;
  } catch {
    return null;
  }
}

/**
 * The frame's address: the deployment's `/widget/frame.html` with the host's options in the query (never a
 * token). `host` is the embedding page's origin, the only one the frame talks to.
 */
export const FRAME_PATH = '/widget/frame.html';
export const FRAME_PARAMS = [
  'org',
  'locale',
  'idleMinutes',
  'subjectRef',
  'tasksRefreshSeconds',
  'host',
] as const;
export type FrameParams = Partial<Record<(typeof FRAME_PARAMS)[number], string>>;

export function frameUrl(deploymentOrigin: string, params: FrameParams): string {
  const url = new URL(FRAME_PATH, deploymentOrigin);
  for (const name of FRAME_PARAMS) {
    const value = params[name];
    if (value) url.searchParams.set(name, value);
  }
  return url.href;
}

export function frameParams(search: string): FrameParams {
  const query = new URLSearchParams(search);
  const params: FrameParams = {};
  for (const name of FRAME_PARAMS) {
    const value = query.get(name);
    if (value !== null) params[name] = value;
  }
  return params;
}

/** The sandbox of the frame: scripts and its own origin (storage, the API), forms, and the sign-in window. */
export const FRAME_SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox';
