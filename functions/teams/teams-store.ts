import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { Principal, Role } from '../domain/principal.ts';
import { queryEveryPage } from '../storage/store.ts';
import { tableKeys } from '../storage/table.ts';

/**
 * What the Teams channel keeps in the one table: who a Teams user is here (their project identity, set by
 * an administrator), where to reach them proactively, which activities were already handled, and which
 * notifications were already delivered.
 */
export const TeamsUser = z.object({
  kind: z.literal('teamsUser'),
  tenantId: z.string(),
  aadObjectId: z.string(),
  userId: z.string(),
  org: z.string(),
  unit: z.string(),
  roles: z.array(Role),
});
export type TeamsUser = z.infer<typeof TeamsUser>;

export const TeamsContact = z.object({
  kind: z.literal('teamsContact'),
  userId: z.string(),
  org: z.string(),
  unit: z.string(),
  roles: z.array(Role),
  locale: z.enum(['en', 'es']),
  /** The Bot Framework conversation reference, as the SDK produced it: where proactive messages go. */
  reference: z.record(z.string(), z.unknown()),
  /** The conversation "resume" brings back. */
  currentConversationId: z.optional(z.string()),
  updatedAt: z.string(),
});
export type TeamsContact = z.infer<typeof TeamsContact>;

const teamsKeys = {
  user: (tenantId: string, aadObjectId: string) => ({
    pk: `TEAMSUSER#${tenantId}#${aadObjectId}`,
    sk: 'USER',
  }),
  contact: (userId: string) => ({ pk: `TEAMSREF#${userId}`, sk: 'REF' }),
  contactsOfOrg: (org: string) => `ORG#${org}#TEAMSREFS`,
  activity: (activityId: string) => ({ pk: `TEAMSACT#${activityId}`, sk: 'ACT' }),
  delivery: (org: string, taskId: string, actionId: string, userId: string) => ({
    pk: `DELIVERED#${org}`,
    sk: `${taskId}#${actionId}#${userId}`,
  }),
};

function conditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

export interface TeamsStore {
  putUser(user: TeamsUser): Promise<void>;
  principalOf(tenantId: string, aadObjectId: string): Promise<Principal | null>;
  putContact(contact: TeamsContact): Promise<void>;
  getContact(userId: string): Promise<TeamsContact | null>;
  contactsOfUnit(org: string, unit: string): Promise<TeamsContact[]>;
  /** True the first time an activity id is seen; false for a retry. Remembered for a day. */
  firstSight(activityId: string, now: Date): Promise<boolean>;
  /** True if this notification had not yet been delivered to this user (and marks it delivered). */
  markDelivered(org: string, taskId: string, actionId: string, userId: string, now: Date): Promise<boolean>;
  isDelivered(org: string, taskId: string, actionId: string, userId: string): Promise<boolean>;
}

export function createTeamsStore(doc: DynamoDBDocumentClient, tableName: string): TeamsStore {
  const createOnce = async (item: Record<string, unknown>) => {
    try {
      await doc.send(
        new PutCommand({ TableName: tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  };
  return {
    async putUser(user) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...teamsKeys.user(user.tenantId, user.aadObjectId), ...user },
        }),
      );
    },
    async principalOf(tenantId, aadObjectId) {
      const result = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: teamsKeys.user(tenantId, aadObjectId),
          ConsistentRead: true,
        }),
      );
      const user = TeamsUser.safeParse(result.Item);
      if (!user.success) return null;
      const principal = Principal.safeParse({
        userId: user.data.userId,
        org: user.data.org,
        unit: user.data.unit,
        roles: user.data.roles,
      });
      return principal.success ? principal.data : null;
    },
    async putContact(contact) {
      await doc.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...teamsKeys.contact(contact.userId),
            [tableKeys.gsi1.partitionKey]: teamsKeys.contactsOfOrg(contact.org),
            [tableKeys.gsi1.sortKey]: `${contact.unit}#${contact.userId}`,
            ...contact,
          },
        }),
      );
    },
    async getContact(userId) {
      const result = await doc.send(
        new GetCommand({ TableName: tableName, Key: teamsKeys.contact(userId), ConsistentRead: true }),
      );
      return result.Item ? TeamsContact.parse(result.Item) : null;
    },
    async contactsOfUnit(org, unit) {
      const { gsi1 } = tableKeys;
      const items = await queryEveryPage(doc, {
        TableName: tableName,
        IndexName: gsi1.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :unit)',
        ExpressionAttributeNames: { '#pk': gsi1.partitionKey, '#sk': gsi1.sortKey },
        ExpressionAttributeValues: { ':pk': teamsKeys.contactsOfOrg(org), ':unit': `${unit}#` },
      });
      return items.map((item) => TeamsContact.parse(item));
    },
    firstSight(activityId, now) {
      return createOnce({
        ...teamsKeys.activity(activityId),
        kind: 'teamsActivity',
        at: now.toISOString(),
        [tableKeys.timeToLive]: Math.floor(now.getTime() / 1000) + 86_400,
      });
    },
    markDelivered(org, taskId, actionId, userId, now) {
      return createOnce({
        ...teamsKeys.delivery(org, taskId, actionId, userId),
        kind: 'teamsDelivery',
        at: now.toISOString(),
      });
    },
    async isDelivered(org, taskId, actionId, userId) {
      const result = await doc.send(
        new GetCommand({
          TableName: tableName,
          Key: teamsKeys.delivery(org, taskId, actionId, userId),
          ConsistentRead: true,
        }),
      );
      return result.Item !== undefined;
    },
  };
}
