import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '#functions/storage/table.ts';
import type { Harness } from './harness.ts';
import { screeningValues } from './harness.ts';
import { round, type Summary, summarize } from './stats.ts';

export interface ConcurrencyResults {
  conversations: number;
  turnsEach: number;
  concurrency: number;
  duplicatesSent: number;
  seconds: number;
  turnsPerSecond: number;
  latencyMs: Summary;
  eventsStoredExactlyOnce: boolean;
  allReachedOutcome: boolean;
  problems: string[];
}

/**
 * Conversations run side by side, each turn after the previous one's reply, as screeners would. One turn
 * in ten is also sent a second time at once with the same event id (a client retry racing the original),
 * so "stored exactly once" is tested, not assumed.
 */
export async function measureConcurrency(
  harness: Harness,
  conversations: number,
  concurrency: number,
): Promise<ConcurrencyResults> {
  const latencies: number[] = [];
  const sent = new Map<string, string[]>();
  let duplicatesSent = 0;
  let next = 0;
  const problems: string[] = [];
  const turnsEach = screeningValues().length;

  async function runOne(): Promise<void> {
    const { id } = await harness.newConversation();
    const ids: string[] = [];
    sent.set(id, ids);
    let version = 0;
    let promptId = 'exchange';
    for (const value of screeningValues()) {
      const eventId = randomUUID();
      ids.push(eventId);
      const event = harness.turnEvent(id, {
        eventId,
        expectedVersion: version,
        event: { type: 'answer.given', promptId, value },
      });
      const started = performance.now();
      const duplicate = Math.random() < 0.1;
      if (duplicate) duplicatesSent += 1;
      const responses = await Promise.all(
        duplicate ? [harness.postTurn(event), harness.postTurn(event)] : [harness.postTurn(event)],
      );
      latencies.push(performance.now() - started);
      const ok = responses.find((response) => response.statusCode === 200);
      if (!ok || responses.some((response) => response.statusCode !== 200 && response.statusCode !== 503)) {
        problems.push(`conversation ${id}: statuses ${responses.map((r) => r.statusCode).join(',')}`);
        return;
      }
      const reply = JSON.parse(ok.body ?? '{}');
      version = reply.conversation.version;
      promptId = reply.prompt?.id ?? '';
    }
  }

  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < conversations) {
        next += 1;
        await runOne();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  let exactlyOnce = true;
  let allDone = true;
  for (const [id, ids] of sent) {
    const events = await harness.doc.send(
      new QueryCommand({
        TableName: harness.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.conversation(id).pk },
        ConsistentRead: true,
      }),
    );
    const items = events.Items ?? [];
    const stored = items.filter((item) => item.kind === 'event');
    const seqs = stored.map((item) => item.seq as number).sort((a, b) => a - b);
    const storedIds = new Set(stored.map((item) => item.eventId as string));
    if (
      stored.length !== ids.length ||
      seqs.some((seq, index) => seq !== index + 1) ||
      ids.some((eventId) => !storedIds.has(eventId))
    ) {
      exactlyOnce = false;
      problems.push(`conversation ${id}: ${stored.length} events stored for ${ids.length} sent`);
    }
    const conversation = items.find((item) => item.kind === 'conversation');
    if (conversation?.status !== 'completed' || !items.some((item) => item.kind === 'outcome')) {
      allDone = false;
      problems.push(`conversation ${id}: not completed`);
    }
  }
  return {
    conversations,
    turnsEach,
    concurrency,
    duplicatesSent,
    seconds: round(seconds),
    turnsPerSecond: round((conversations * turnsEach) / seconds, 1),
    latencyMs: summarize(latencies),
    eventsStoredExactlyOnce: exactlyOnce && problems.length === 0,
    allReachedOutcome: allDone,
    problems: problems.slice(0, 10),
  };
}
