import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ApiResult, TestStack, TestUser } from './stack.ts';

export type Action =
  | { answer: string | string[]; promptId?: string; note?: string }
  | { unknown: true }
  | { skip: true }
  | { back: true }
  | { pause: true }
  | { resume: true };

export function eventFor(action: Action, promptId: string | undefined) {
  if ('answer' in action) {
    return {
      type: 'answer.given',
      promptId: action.promptId ?? promptId,
      value: action.answer,
      ...(action.note ? { note: action.note } : {}),
    };
  }
  if ('unknown' in action) return { type: 'answer.unknown', promptId };
  if ('skip' in action) return { type: 'answer.skipped', promptId };
  if ('back' in action) return { type: 'nav.back' };
  if ('pause' in action) return { type: 'nav.pause' };
  return { type: 'nav.resume' };
}

/** Drives a conversation through the API the way a channel does: read the prompt, send the next action. */
export class ScreeningDriver {
  version = 0;
  last!: ApiResult;

  private constructor(
    readonly stack: TestStack,
    readonly id: string,
    readonly user: TestUser | undefined,
  ) {}

  /** Starts a conversation as `user` (the stack's demo caseworker when absent); every turn is sent as them. */
  static async start(
    stack: TestStack,
    locale: 'en' | 'es' = 'en',
    subjectRef = 'CASE-1001',
    flow = 'cse-screening',
    user?: TestUser,
    /** More of the create body, e.g. `{ links: { missingReport } }` for a return interview. */
    extra: Record<string, unknown> = {},
  ) {
    const created = await stack.call('createConversation', {
      body: { flow, locale, subjectRef, ...extra },
      ...(user ? { user } : {}),
    });
    expect(created.status).toBe(201);
    const driver = new ScreeningDriver(stack, created.body.conversation.id, user);
    driver.last = created;
    return driver;
  }

  get promptId(): string | undefined {
    return this.last.body.prompt?.id;
  }

  async send(action: Action, eventId: string = randomUUID()): Promise<ApiResult> {
    const result = await this.stack.call('postTurn', {
      id: this.id,
      body: { eventId, expectedVersion: this.version, event: eventFor(action, this.promptId) },
      ...(this.user ? { user: this.user } : {}),
    });
    if (result.status === 200) {
      this.last = result;
      this.version = result.body.conversation.version;
    }
    return result;
  }

  /**
   * Answers whatever the flow asks until it completes: the scripted action for a prompt id, otherwise
   * "unknown" where offered, else the first choice, a short text, or the current time.
   */
  async answerUntilDone(script: Record<string, Action>, limit = 40): Promise<ApiResult> {
    for (let turn = 0; turn < limit && this.last.body.prompt; turn += 1) {
      const prompt = this.last.body.prompt;
      const scripted = script[prompt.id];
      const action: Action =
        scripted ??
        (prompt.allowsUnknown
          ? { unknown: true }
          : prompt.kind === 'text'
            ? { answer: 'Recorded for the test' }
            : prompt.kind === 'datetime'
              ? { answer: this.stack.clock.now.toISOString() }
              : { answer: prompt.choices[0].id });
      const result = await this.send(action);
      expect(result.status, `${prompt.id}: ${JSON.stringify(result.body)}`).toBe(200);
    }
    expect(this.last.body.conversation.status).toBe('completed');
    return this.last;
  }

  async sendAll(actions: Action[]): Promise<ApiResult> {
    for (const action of actions) {
      const result = await this.send(action);
      expect(result.status, JSON.stringify(result.body)).toBe(200);
    }
    return this.last;
  }
}

export const INDICATOR_COUNT = 8;

/** Answers for the eight default indicators, then determination, CWS, open § 602 matter, services and received time. */
export function fullScreening(options: {
  exchange?: 'present' | 'not_present';
  others?: 'present' | 'not_present';
  determination: 'identified' | 'at_risk' | 'neither';
  overrideReason?: string;
  cws: 'yes' | 'no' | 'unknown';
  open602?: 'yes' | 'no';
  services?: string[];
  receivedAt?: string;
}): Action[] {
  const actions: Action[] = [{ answer: options.exchange ?? 'present' }];
  for (let i = 1; i < INDICATOR_COUNT; i += 1) actions.push({ answer: options.others ?? 'not_present' });
  actions.push({ answer: options.determination });
  if (options.overrideReason) actions.push({ answer: options.overrideReason });
  actions.push(options.cws === 'unknown' ? { unknown: true } : { answer: options.cws });
  actions.push(options.open602 ? { answer: options.open602 } : { unknown: true });
  actions.push(options.services ? { answer: options.services } : { skip: true });
  actions.push(options.receivedAt ? { answer: options.receivedAt } : { unknown: true });
  return actions;
}
