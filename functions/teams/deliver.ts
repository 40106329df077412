import type { Logger } from '@aws-lambda-powertools/logger';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { currentPrincipal, type UserDirectory } from '../auth/user-directory.ts';
import { OutboxRecord } from '../storage/records.ts';
import { taskCard } from './cards.ts';
import { ConnectorThrottledError, type createBotAdapter } from './sdk.ts';
import type { TeamsContact, TeamsStore } from './teams-store.ts';
import { botSays } from './wording.ts';

export interface DeliverDeps {
  teams: TeamsStore;
  adapter: Pick<ReturnType<typeof createBotAdapter>, 'sendProactive'>;
  logger: Logger;
  clock: () => Date;
  sleep: (ms: number) => Promise<void>;
  /** Longest Retry-After honoured inside one invocation; beyond it the stream retries the batch later. */
  maxWaitSeconds: number;
  /** Issue 18: a contact whose account the user pool disabled, moved or stripped of the role gets nothing. */
  directory: UserDirectory;
}

/**
 * A reminder goes to the task's owner (a user, or every member of the unit whose queue holds it), and so
 * does a return interview's closure or request to close (issue 16); an escalation or a cancelled report's
 * notice to every supervisor of the task's unit.
 */
async function recipientsOf(deps: DeliverDeps, notification: OutboxRecord): Promise<TeamsContact[]> {
  const standing = await Promise.all(
    (await linkedRecipientsOf(deps, notification)).map(async (contact) => {
      const now = currentPrincipal(contact, await deps.directory.standingOf(contact.userId));
      return now ? { ...contact, roles: now.roles } : null;
    }),
  );
  const current = standing.filter((contact): contact is TeamsContact => contact !== null);
  if (notification.recipient.userId || notification.recipient.queue) return current;
  return current.filter((contact) => contact.roles.includes('supervisor'));
}

async function linkedRecipientsOf(deps: DeliverDeps, notification: OutboxRecord): Promise<TeamsContact[]> {
  if (notification.recipient.userId) {
    const owner = await deps.teams.getContact(notification.recipient.userId);
    return owner && owner.org === notification.org ? [owner] : [];
  }
  // A queued task's reminder goes to everyone who may claim it; the rest to the unit's supervisors.
  return deps.teams.contactsOfUnit(notification.org, notification.unit);
}

async function sendWithBackoff(deps: DeliverDeps, send: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof ConnectorThrottledError) || attempt >= 3) throw error;
      const wait = Math.max(1, error.retryAfterSeconds) * 2 ** attempt;
      if (wait > deps.maxWaitSeconds) throw error;
      await deps.sleep(wait * 1000);
    }
  }
}

/**
 * Reads new outbox records from the table's stream and delivers each to Teams as a proactive message: a
 * card with the task, its legal basis and due time, and "mark done". Each delivery is marked once sent, so
 * a retried batch sends nothing twice; a recipient who never talked to the bot has no conversation to
 * reach and keeps the notification in the outbox (GET /notifications) only.
 */
export function makeDeliverHandler(deps: () => DeliverDeps | Promise<DeliverDeps>) {
  return async (event: DynamoDBStreamEvent) => {
    const resolved = await deps();
    let delivered = 0;
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (record.eventName !== 'INSERT' || !image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (item.kind !== 'notification') continue;
      const notification = OutboxRecord.safeParse(item);
      if (!notification.success) {
        resolved.logger.error('outbox image rejected');
        continue;
      }
      const n = notification.data;
      for (const contact of await recipientsOf(resolved, n)) {
        if (await resolved.teams.isDelivered(n.org, n.taskId, n.actionId, contact.userId)) continue;
        const heading = botSays(contact.locale, n.type);
        const card = taskCard(
          {
            id: n.taskId,
            title: n.title,
            requirementId: n.requirementId,
            citation: n.citation,
            dueAt: n.dueAt,
            // A task a return interview closed is done: nothing left to mark, nothing overdue; so is a records
            // request already carried out (issue 16), which is no task at all.
            ...(n.type === 'task_closed' || n.type === 'records_request'
              ? { status: 'done', overdue: false }
              : { overdue: Date.parse(n.dueAt) <= resolved.clock().getTime() }),
          },
          contact.locale,
          heading,
        );
        await sendWithBackoff(resolved, () =>
          resolved.adapter.sendProactive(contact.reference, [{ type: 'message', attachments: [card] }]),
        );
        await resolved.teams.markDelivered(n.org, n.taskId, n.actionId, contact.userId, resolved.clock());
        delivered += 1;
      }
    }
    resolved.logger.info('notifications delivered to Teams', { delivered });
    return { delivered };
  };
}
