import { beforeAll, describe, expect, it } from 'vitest';
import { SubjectRef } from '#functions/api/schemas.ts';
import {
  CASE_REFERENCE,
  type ChatActivity,
  ConnectionStatus,
  createScreeningAdapter,
  type ScreeningAdapter,
  type Shown,
} from '../../web/widget/adapter.ts';
import { retryDelay } from '../../web/widget/api.ts';
import { DEFAULT_EXIT_URL, readConfig } from '../../web/widget/config.ts';
import { ReplayChannel } from '../../web/widget/observable.ts';
import { cardSpeech } from '../../web/widget/screen-reader.ts';
import { claimsOf } from '../../web/widget/session.ts';
import { createTestStack, type TestStack } from '../support/stack.ts';
import { shelterUser } from '../support/widget.ts';

/**
 * The widget's chat adapter outside the browser: Web Chat's side is played by subscribing and posting
 * activities as Web Chat does; the API is the real one (handlers on DynamoDB Local), reached through a
 * fetch that can be told to fail.
 */

let stack: TestStack;

beforeAll(async () => {
  stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
});

type Failure = 'network' | 'stored-then-network' | 503;

interface Harness {
  adapter: ScreeningAdapter;
  activities: ChatActivity[];
  statuses: number[];
  shown: Shown[];
  requests: { path: string; body: Record<string, unknown> }[];
  /** The GET requests (unfinished screenings, a conversation to resume), path and query. */
  reads: string[];
  /** What the next requests meet, in order; an empty list lets them through. */
  failures: Failure[];
  unauthenticated: number;
  /** Calls the API without a token, as an expired sign-in would. */
  anonymous: boolean;
  /** Resolves once the welcome is on screen. */
  ready(): Promise<void>;
  /** Posts as Web Chat does, and waits for the widget to have answered (a card, or words). */
  post(activity: ChatActivity): Promise<ChatActivity>;
  press(label: string): Promise<ChatActivity>;
}

function harness(): Harness {
  const h = {
    activities: [] as ChatActivity[],
    statuses: [] as number[],
    shown: [] as Shown[],
    requests: [] as { path: string; body: Record<string, unknown> }[],
    reads: [] as string[],
    failures: [] as Failure[],
    unauthenticated: 0,
    anonymous: false,
  };
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const user = h.anonymous ? null : shelterUser;
    // Issue 17: reads (is there an unfinished screening for this reference?) are answered as they are.
    if ((init?.method ?? 'GET') === 'GET') {
      h.reads.push(`${url.pathname}${url.search}`);
      const id = /^\/conversations\/([^/]+)$/.exec(url.pathname)?.[1];
      const result = id
        ? await stack.call('getConversation', { id, user })
        : await stack.call('listConversations', { query: Object.fromEntries(url.searchParams), user });
      return new Response(JSON.stringify(result.body), { status: result.status });
    }
    const body = JSON.parse(String(init?.body ?? '{}'));
    h.requests.push({ path: url.pathname, body });
    const failure = h.failures.shift();
    if (failure === 'network') throw new TypeError('Failed to fetch');
    if (failure === 503)
      return new Response(JSON.stringify({ error: { code: 'temporarily_unavailable' } }), {
        status: 503,
        headers: { 'retry-after': '0' },
      });
    const turn = /^\/conversations\/([^/]+)\/turns$/.exec(url.pathname);
    const result = turn
      ? await stack.call('postTurn', { id: turn[1]!, body, user })
      : await stack.call('createConversation', { body, user });
    if (failure === 'stored-then-network') throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(result.body), { status: result.status });
  };
  const adapter = createScreeningAdapter({
    base: 'http://127.0.0.1:3000',
    locale: 'en',
    getToken: () => 'token',
    fetch: fakeFetch as typeof fetch,
    sleep: () => new Promise((resolve) => setTimeout(resolve, 1)),
    onUnauthenticated: () => {
      h.unauthenticated += 1;
    },
    onShow: (shown) => h.shown.push(shown),
  });
  adapter.connectionStatus$.subscribe((status) => h.statuses.push(status));
  adapter.activity$.subscribe((activity) => h.activities.push(activity));
  let posted = 0;
  const post = async (activity: ChatActivity) => {
    posted += 1;
    const id = await new Promise<string>((resolve, reject) =>
      adapter.postActivity({ ...activity, channelData: { clientActivityID: `c${posted}` } }).subscribe({
        next: resolve,
        error: reject,
      }),
    );
    const echo = h.activities.findIndex((seen) => seen.id === id);
    expect(h.activities[echo]?.channelData?.clientActivityID).toBe(`c${posted}`);
    const reply = () => h.activities.slice(echo + 1).find((seen) => seen.from?.role === 'bot');
    // Two requests now (is there an unfinished screening? then start): DynamoDB Local can be slow to warm.
    await expect.poll(reply, { timeout: 15_000 }).toBeDefined();
    return reply()!;
  };
  const ready = () => expect.poll(() => h.activities.length).toBeGreaterThanOrEqual(2);
  /** A press on the newest card's button, with the data Web Chat would send (inputs merged in). */
  const press = (label: string) => {
    const card = [...h.activities].reverse().find((activity) => activity.attachments?.length)!;
    const actions = (card.attachments![0]!.content as { actions: { title: string; data: object }[] }).actions;
    const action = actions.find((candidate) => candidate.title === label)!;
    return post({ type: 'message', value: action.data, channelData: { postBack: true } });
  };
  return Object.assign(h, { adapter, post, press, ready }) as Harness;
}

const texts = (activities: ChatActivity[]) => activities.map((activity) => activity.text ?? '');

describe('the widget chat adapter', () => {
  it('greets, asks for a case reference (never a name), and starts only the CSE screening', async () => {
    const h = harness();
    await expect.poll(() => h.activities.length).toBe(2);
    expect(h.statuses).toEqual([
      ConnectionStatus.Uninitialized,
      ConnectionStatus.Connecting,
      ConnectionStatus.Online,
    ]);
    expect(h.activities[1]!.text).toContain('case reference (not their name)');

    const refused = await h.post({ type: 'message', text: 'Maria Lopez' });
    expect(refused.text).toContain('does not look like a case reference');
    expect(h.requests).toHaveLength(0);

    const card = await h.post({ type: 'message', text: 'WIDGET-UNIT-1' });
    expect(h.requests).toEqual([
      {
        path: '/conversations',
        body: { flow: 'cse-screening', locale: 'en', subjectRef: 'WIDGET-UNIT-1' },
      },
    ]);
    expect(card.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(h.shown.at(-1)).toEqual({ phase: 'screening', version: 0, progress: { n: 1, of: 11 }, cards: 1 });
    const titles = (card.attachments![0]!.content as { actions: { title: string }[] }).actions.map(
      (action) => action.title,
    );
    // Issue 20: the screening is a professional's checklist: "Skip", never the youth's "Prefer not to say".
    expect(titles).toEqual(expect.arrayContaining(['Unknown', 'Skip', 'Pause']));
    expect(titles.join(' ')).not.toMatch(/prefer not to say/i);
    h.adapter.end();
  });

  it('retries a turn with the same event id until the API has it, and stores it once', async () => {
    const h = harness();
    await h.ready();
    await h.post({ type: 'message', text: 'WIDGET-UNIT-2' });

    h.failures.push('stored-then-network', 'network', 503);
    await h.press('No, not from what I know');
    const turns = h.requests.filter((request) => request.path.endsWith('/turns'));
    expect(turns).toHaveLength(4);
    expect(new Set(turns.map((turn) => turn.body.eventId)).size).toBe(1);
    // Web Chat was told the connection was interrupted, then back.
    expect(h.statuses.slice(-2)).toEqual([ConnectionStatus.Connecting, ConnectionStatus.Online]);
    // The press is echoed in the screener's words; the reply is the next question.
    expect(texts(h.activities)).toContain('No, not from what I know');
    expect(h.shown.at(-1)?.version).toBe(1);

    const conversationId = turns[0]!.path.split('/')[2]!;
    const stored = await stack.call('getConversation', { id: conversationId, user: shelterUser });
    expect(stored.body.events).toHaveLength(1);
    expect(stored.body.events[0].eventId).toBe(turns[0]!.body.eventId);
    h.adapter.end();
  });

  it('answers a second press on an answered card without sending it', async () => {
    const h = harness();
    await h.ready();
    await h.post({ type: 'message', text: 'WIDGET-UNIT-3' });
    const card = [...h.activities].reverse().find((activity) => activity.attachments?.length)!;
    await h.press('Unknown');
    const before = h.requests.length;
    const action = (card.attachments![0]!.content as { actions: { title: string; data: object }[] })
      .actions[0]!;
    const reply = await h.post({ type: 'message', value: action.data });
    expect(reply.text).toContain('already answered');
    expect(h.requests).toHaveLength(before);
    h.adapter.end();
  });

  it('runs a screening to its outcome card and offers another', async () => {
    const h = harness();
    await h.ready();
    await h.post({ type: 'message', text: 'WIDGET-UNIT-4' });
    await h.press('Yes, there is information about this');
    for (let i = 0; i < 7; i += 1) await h.press('No, not from what I know');
    await h.press('Identified as a victim of CSE');
    // The shelter's variant asks no child welfare or § 602 status: services and the time remain.
    for (let i = 0; i < 2; i += 1) await h.press('Unknown');
    await expect.poll(() => h.shown.at(-1)?.phase).toBe('done');
    const outcome = h.activities.filter((activity) => activity.attachments?.length).at(-1)!;
    const speech = cardSpeech(outcome.attachments![0]!.content, 'en').join(' ');
    // R-MANDATED-1: the shelter's own reports; the county's duties went to the county, not to this card.
    expect(speech).toContain('R-MANDATED-1');
    expect(speech).not.toContain('R-PLAN-1');
    expect(h.activities.at(-1)!.text).toContain('screen another youth');
    h.adapter.end();
  });

  it('hands a refused token to the page, and stops everything when ended', async () => {
    const h = harness();
    await h.ready();
    h.anonymous = true;
    h.adapter.postActivity({ type: 'message', text: 'WIDGET-UNIT-5' }).subscribe({});
    await expect.poll(() => h.unauthenticated, { timeout: 10_000 }).toBe(1);

    // A request retrying on a dead network stops when the widget is closed, and nothing more is sent.
    h.anonymous = false;
    h.failures.push(...Array<Failure>(1000).fill('network'));
    h.adapter.postActivity({ type: 'message', text: 'WIDGET-UNIT-6' }).subscribe({});
    await expect.poll(() => h.requests.length, { timeout: 10_000 }).toBeGreaterThan(3);
    h.adapter.end();
    expect(h.statuses.at(-1)).toBe(ConnectionStatus.Ended);
    const after = h.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(h.requests.length).toBeLessThanOrEqual(after + 1);
    await expect(
      new Promise((_, reject) =>
        h.adapter.postActivity({ type: 'message', text: 'x' }).subscribe({ error: reject }),
      ),
    ).rejects.toThrow('closed');
  });
});

describe('the widget adapter offers an unfinished screening before starting again (issue 17)', () => {
  it('asks the API for the case reference first and continues at the very prompt it stopped at', async () => {
    const first = harness();
    await first.ready();
    await first.post({ type: 'message', text: 'WIDGET-RESUME-1' });
    await first.press('Yes, there is information about this');
    await first.press('No, not from what I know');
    const stoppedAt = first.shown.at(-1)!;
    expect(stoppedAt).toMatchObject({ phase: 'screening', version: 2, progress: { n: 3 } });
    first.adapter.end();

    // A reload: a new adapter, the same reference typed again.
    const again = harness();
    await again.ready();
    const offer = await again.post({ type: 'message', text: 'WIDGET-RESUME-1' });
    expect(again.reads).toEqual(['/conversations?status=unfinished&subjectRef=WIDGET-RESUME-1']);
    expect(again.requests).toEqual([]);
    expect(again.shown.at(-1)?.phase).toBe('resume');
    const speech = cardSpeech(offer.attachments![0]!.content, 'en').join(' ');
    expect(speech).toContain('WIDGET-RESUME-1 has a screening that was not finished');
    expect(speech).toContain('question 3 of 11');
    await again.press('Continue where it stopped');
    // First the words ("Continuing…"), then the card.
    await expect.poll(() => again.shown.at(-1)?.phase, { timeout: 10_000 }).toBe('screening');
    expect(again.shown.at(-1)).toMatchObject({ phase: 'screening', version: 2, progress: { n: 3, of: 11 } });
    expect(again.requests).toEqual([]);
    // The press is echoed in the screener's words.
    expect(texts(again.activities)).toContain('Continue where it stopped');
    await again.press('No, not from what I know');
    expect(again.shown.at(-1)).toMatchObject({ version: 3, progress: { n: 4 } });
    again.adapter.end();
  });

  it('resumes a paused screening in one press, and can start a new one instead', async () => {
    const first = harness();
    await first.ready();
    await first.post({ type: 'message', text: 'WIDGET-RESUME-2' });
    await first.press('Unknown');
    await first.press('Pause');
    expect(first.shown.at(-1)?.version).toBe(2);
    first.adapter.end();

    const again = harness();
    await again.ready();
    const offer = await again.post({ type: 'message', text: 'WIDGET-RESUME-2' });
    expect(cardSpeech(offer.attachments![0]!.content, 'en').join(' ')).toContain('It was paused.');
    await again.press('Continue where it stopped');
    await expect.poll(() => again.shown.at(-1)?.phase, { timeout: 10_000 }).toBe('screening');
    expect(again.requests.map((request) => request.body.event)).toEqual([{ type: 'nav.resume' }]);
    expect(again.shown.at(-1)).toMatchObject({ phase: 'screening', version: 3, progress: { n: 2 } });
    again.adapter.end();

    const fresh = harness();
    await fresh.ready();
    await fresh.post({ type: 'message', text: 'WIDGET-RESUME-2' });
    await fresh.press('Start a new screening');
    expect(fresh.requests).toEqual([
      {
        path: '/conversations',
        body: { flow: 'cse-screening', locale: 'en', subjectRef: 'WIDGET-RESUME-2' },
      },
    ]);
    expect(fresh.shown.at(-1)).toMatchObject({ phase: 'screening', version: 0, progress: { n: 1 } });
    // The offer, once answered, is stale.
    const offerCard = fresh.activities.filter((activity) => activity.attachments?.length).at(-2)!;
    const continueData = (
      offerCard.attachments![0]!.content as { actions: { title: string; data: object }[] }
    ).actions[0]!.data;
    const stale = await fresh.post({ type: 'message', value: continueData });
    expect(stale.text).toContain('no longer on offer');
    fresh.adapter.end();
  });
});

describe('the widget around the adapter', () => {
  it('accepts exactly the case references the API accepts', () => {
    for (const candidate of [
      'CASE-1',
      'a',
      'A.b:c_d-9',
      'Maria Lopez',
      '-x',
      '',
      'x'.repeat(64),
      'x'.repeat(65),
    ])
      expect(CASE_REFERENCE.test(candidate), candidate).toBe(SubjectRef.safeParse(candidate).success);
  });

  it('reads the script tag with safe defaults', () => {
    const src = 'http://127.0.0.1:3000/widget/widget.js';
    expect(readConfig({ org: 'demo-shelter', locale: 'es' }, src)).toEqual({
      org: 'demo-shelter',
      locale: 'es',
      target: null,
      exitUrl: DEFAULT_EXIT_URL,
      idleMs: 600_000,
      apiBase: 'http://127.0.0.1:3000',
      nonce: null,
      subjectRef: null,
      tasksRefreshMs: 60_000,
    });
    const custom = readConfig(
      { idleMinutes: '0.05', exitUrl: 'about:blank', target: 'here', api: 'https://api.example/' },
      src,
      'es-MX',
    );
    expect(custom).toMatchObject({
      locale: 'es',
      idleMs: 3000,
      exitUrl: 'about:blank',
      target: 'here',
      apiBase: 'https://api.example',
    });
    // Issue 17: a case reference the page holds (never a name), and how often "My tasks" refreshes.
    expect(readConfig({ subjectRef: 'CASE-7', tasksRefreshSeconds: '2' }, src)).toMatchObject({
      subjectRef: 'CASE-7',
      tasksRefreshMs: 5000,
    });
    expect(readConfig({ subjectRef: 'Maria Lopez', tasksRefreshSeconds: 'x' }, src)).toMatchObject({
      subjectRef: null,
      tasksRefreshMs: 60_000,
    });
    // A script URL as the exit would run on the way out; nonsense falls back to the defaults.
    expect(readConfig({ exitUrl: 'javascript:alert(1)', idleMinutes: '-3' }, src)).toMatchObject({
      exitUrl: DEFAULT_EXIT_URL,
      idleMs: 600_000,
      locale: 'en',
    });
  });

  it('backs off, and follows Retry-After within a limit', () => {
    expect([0, 1, 2, 3, 10].map((attempt) => retryDelay(attempt, null))).toEqual([
      250, 500, 1000, 2000, 10_000,
    ]);
    expect(retryDelay(0, '3')).toBe(3000);
    expect(retryDelay(0, '3600')).toBe(10_000);
  });

  it('replays what a channel carried to a late subscriber, and forgets it when ended', () => {
    const channel = new ReplayChannel<number>();
    channel.next(1);
    channel.next(2);
    const seen: number[] = [];
    channel.observable.subscribe((value) => seen.push(value));
    channel.next(3);
    expect(seen).toEqual([1, 2, 3]);
    channel.end();
    const after: number[] = [];
    let completed = false;
    channel.observable.subscribe({ next: (value) => after.push(value), complete: () => (completed = true) });
    expect(after).toEqual([]);
    expect(completed).toBe(true);
  });

  it('reads a token’s claims (names in any script) without trusting them for anything but display', () => {
    const payload = Buffer.from(
      JSON.stringify({ sub: 'u', name: 'Ñandú Pérez', 'custom:org': 'o' }),
    ).toString('base64url');
    expect(claimsOf(`x.${payload}.y`)).toEqual({ sub: 'u', name: 'Ñandú Pérez', 'custom:org': 'o' });
    expect(claimsOf('not a token')).toEqual({});
  });

  it('a malformed token yields no claims rather than an error', () => {
    const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const token of [
      '',
      'x..y',
      'x.not-json.y',
      `x.${Buffer.from('{"sub":').toString('base64url')}.y`,
      `x.${Buffer.from([0xff, 0xfe]).toString('base64url')}.y`,
      `x.${encoded(['u'])}.y`,
      `x.${encoded('u')}.y`,
      `x.${encoded(null)}.y`,
      `x.${encoded(7)}.y`,
    ]) {
      expect(claimsOf(token)).toEqual({});
    }
  });
});
