import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { createFlowCatalog } from '#flows/catalog.ts';
import { type ConversationView, type FlowDefinition, start, step, view } from '#flows/engine.ts';
import type { ClientEvent, ConversationEvent } from '#flows/events.ts';
import type { Locale } from '#flows/i18n.ts';
import { viewFingerprint } from '#flows/view-digest.ts';
import { type Action, eventFor } from './screening.ts';

/** Issue 8's device side in node: the same flows engine a tablet runs, queuing every event with its view. */

export const TABLET_START = '2026-11-28T17:00:00.000Z';
const START = TABLET_START;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export interface QueuedEvent {
  eventId: string;
  expectedVersion: number;
  event: ClientEvent;
  answeredAt: string;
  deviceView: string;
}

export interface DeviceStartRequest {
  flow: string;
  flowVersion: string;
  instrument: { id: string; version: string };
  locale: Locale;
  subjectRef: string;
  startedAt: string;
  deviceView: string;
  separateFrom?: string[];
}

/** What the tablet does: runs the conversation's flow version locally and queues every event with its view. */
export class Tablet {
  readonly queue: QueuedEvent[] = [];
  readonly views: ConversationView[] = [];
  private snapshot: AnyMachineSnapshot;

  constructor(
    private readonly flow: FlowDefinition,
    private readonly locale: Locale,
    private readonly startedAt: string,
  ) {
    this.snapshot = start(flow, { locale, startedAt }).snapshot;
  }

  // biome-ignore lint/suspicious/noExplicitAny: the created conversation as the API returned it
  static forConversation(created: any): Tablet {
    const { flow, flowVersion, instrument, locale, createdAt } = created.conversation;
    const entry = createFlowCatalog().exact(flow, flowVersion, instrument);
    if (!entry) throw new Error('the tablet does not have this flow version');
    return new Tablet(entry.flow, locale, createdAt);
  }

  /**
   * Issue 20: a tablet that starts the interview itself, with no connection: the current flow version it
   * has, an id it makes, and its own clock as the start. `start` is what its first sync carries.
   */
  static startOnDevice(
    flowId: string,
    locale: Locale,
    startedAt: string,
    subjectRef: string,
  ): { tablet: Tablet; id: string; start: DeviceStartRequest } {
    const entry = createFlowCatalog().current(flowId);
    if (!entry) throw new Error(`the tablet does not have ${flowId}`);
    const tablet = new Tablet(entry.flow, locale, startedAt);
    return {
      tablet,
      id: randomUUID(),
      start: {
        flow: entry.flow.id,
        flowVersion: entry.flow.version,
        instrument: entry.instrument,
        locale,
        subjectRef,
        startedAt,
        deviceView: sha256(viewFingerprint(tablet.current)),
      },
    };
  }

  get current(): ConversationView {
    return view(this.flow, this.snapshot, this.locale);
  }

  answer(action: Action, answeredAt: string): void {
    const event = eventFor(action, this.current.prompt?.id) as ClientEvent;
    const result = step(this.flow, this.snapshot, { ...event, at: answeredAt } as ConversationEvent);
    if (!result.ok) throw new Error(`the tablet refused its own answer: ${result.rejection.code}`);
    this.snapshot = result.snapshot;
    this.views.push(this.current);
    this.queue.push({
      eventId: randomUUID(),
      expectedVersion: this.queue.length,
      event,
      answeredAt,
      deviceView: sha256(viewFingerprint(this.current)),
    });
  }

  /** The tablet's next answer: scripted, sensitive free text typed out, otherwise unknown or the first offer. */
  answerNext(answeredAt: string, script: Record<string, Action> = {}): Action {
    const prompt = this.current.prompt;
    if (!prompt) throw new Error('nothing to answer');
    const action: Action =
      script[prompt.id] ??
      (prompt.kind === 'text'
        ? { answer: `Typed on the tablet for ${prompt.id}` }
        : prompt.allowsUnknown
          ? { unknown: true }
          : prompt.kind === 'datetime'
            ? { answer: START }
            : prompt.kind === 'multichoice'
              ? { answer: [prompt.choices![0]!.id] }
              : { answer: prompt.choices![0]!.id });
    this.answer(action, answeredAt);
    return action;
  }

  /** Answers until the flow completes, a minute apart from the tablet's start. */
  answerUntilDone(script: Record<string, Action>): Action[] {
    const actions: Action[] = [];
    for (let turn = 0; turn < 60 && this.current.prompt; turn += 1) {
      const answeredAt = new Date(Date.parse(this.startedAt) + (actions.length + 1) * 60_000).toISOString();
      actions.push(this.answerNext(answeredAt, script));
    }
    expect(this.current.status).toBe('completed');
    return actions;
  }
}
