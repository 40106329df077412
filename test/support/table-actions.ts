import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type TablePermission, type WriteAction, writeActions } from '#infra/table-permissions.ts';

/**
 * Records the IAM actions DynamoDB would authorise for each request a function makes, so the test can hold
 * the deployment's policies to what the code really calls. Transactions are authorised item by item
 * (`TransactWriteItems` is not an IAM action); a query on an index is authorised on the index.
 */
export interface RecordedAction {
  action: string;
  /**
   * The partition key the request names, when it names one: every write's (checked against its grant's
   * `dynamodb:LeadingKeys` prefixes), a GetItem's, a Query's from its key condition.
   */
  partitionKey?: string;
  index?: string;
}

type Input = Record<string, unknown>;
const pkOf = (key: unknown) => (key as { pk?: unknown } | undefined)?.pk as string | undefined;

/**
 * The partition a Query names: the value its key condition sets the partition key (`pk` on the table, the
 * index's own on an index) equal to, as IAM's `dynamodb:LeadingKeys` sees it.
 */
function queriedPartition(input: Input): string | undefined {
  const condition = input.KeyConditionExpression;
  if (typeof condition !== 'string') return undefined;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  const partition = typeof input.IndexName === 'string' ? `${input.IndexName}pk` : 'pk';
  for (const [, name, value] of condition.matchAll(/(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g)) {
    if ((names[name!] ?? name) === partition && typeof values[value!] === 'string')
      return values[value!] as string;
  }
  return undefined;
}

function actionsOf(command: string, input: Input): RecordedAction[] {
  const name = command.replace(/Command$/, '');
  switch (name) {
    case 'Get':
    case 'GetItem':
      return [{ action: 'GetItem', partitionKey: pkOf(input.Key) }];
    case 'Put':
    case 'PutItem':
      return [{ action: 'PutItem', partitionKey: pkOf(input.Item) }];
    case 'Update':
    case 'UpdateItem':
      return [{ action: 'UpdateItem', partitionKey: pkOf(input.Key) }];
    case 'Delete':
    case 'DeleteItem':
      return [{ action: 'DeleteItem', partitionKey: pkOf(input.Key) }];
    case 'Query':
    case 'Scan': {
      const partitionKey = name === 'Query' ? queriedPartition(input) : undefined;
      return [
        {
          action: name,
          ...(partitionKey !== undefined ? { partitionKey } : {}),
          ...(typeof input.IndexName === 'string' ? { index: input.IndexName } : {}),
        },
      ];
    }
    case 'TransactWrite':
    case 'TransactWriteItems':
      return (input.TransactItems as Record<string, Input>[]).flatMap((item) => {
        const [kind, body] = Object.entries(item)[0]!;
        const action =
          kind === 'ConditionCheck' ? 'ConditionCheckItem' : `${kind === 'Put' ? 'Put' : kind}Item`;
        return [{ action, partitionKey: pkOf(kind === 'Put' ? body.Item : body.Key) }];
      });
    case 'TransactGet':
    case 'TransactGetItems':
      return (input.TransactItems as { Get: Input }[]).map((item) => ({
        action: 'GetItem',
        partitionKey: pkOf(item.Get.Key),
      }));
    case 'BatchWrite':
    case 'BatchWriteItem':
      return Object.values(input.RequestItems as Record<string, Input[]>).flatMap((requests) =>
        requests.map((request) => ({
          action: 'BatchWriteItem',
          partitionKey: pkOf(
            (request.PutRequest as Input | undefined)?.Item ??
              (request.DeleteRequest as Input | undefined)?.Key,
          ),
        })),
      );
    case 'BatchGet':
    case 'BatchGetItem':
      return [{ action: 'BatchGetItem' }];
    default:
      return [{ action: name }];
  }
}

export interface ActionRecorder {
  /** Runs `work` with every DynamoDB request it makes recorded under `name`. */
  during<T>(name: string, work: () => Promise<T>): Promise<T>;
  recorded(): Map<string, RecordedAction[]>;
}

export function recordTableActions(doc: DynamoDBDocumentClient): ActionRecorder {
  const recorded = new Map<string, RecordedAction[]>();
  let current: string | null = null;
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (current !== null) {
        const list = recorded.get(current) ?? [];
        list.push(...actionsOf(String(context.commandName), args.input as Input));
        recorded.set(current, list);
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordTableActions' },
  );
  return {
    async during(name, work) {
      if (current !== null) throw new Error(`already recording ${current}`);
      current = name;
      try {
        return await work();
      } finally {
        current = null;
      }
    },
    recorded: () => recorded,
  };
}

const isWrite = (action: string) => writeActions.includes(action as WriteAction);

/**
 * Write actions a permission grants without a partition-key condition, so anywhere in the table. Issue 16:
 * must be empty for every function; `actions` is typed as reads, this catches a cast or a widened type.
 */
export function unconfinedWrites(permission: TablePermission): string[] {
  const unprefixed = (permission.prefixedWrites ?? []).filter(
    (write) =>
      write.partitionKeyPrefixes.length === 0 ||
      write.partitionKeyPrefixes.some((prefix) => !/^([A-Z]+#)+$/.test(prefix)),
  );
  return [
    ...permission.actions.filter(isWrite),
    ...unprefixed.flatMap((write) =>
      write.actions.map((action) => `${action} on [${write.partitionKeyPrefixes.join(', ')}]`),
    ),
  ];
}

/** Everything a permission grants, as the recorder names actions; a prefixed write once per prefix. */
function grants(permission: TablePermission): string[] {
  return [
    ...permission.actions,
    ...(permission.indexQueries ?? []).map((index) => `Query@${index}`),
    ...(permission.prefixedWrites ?? []).flatMap((write) =>
      write.actions.flatMap((action) => write.partitionKeyPrefixes.map((prefix) => `${action} ${prefix}`)),
    ),
  ];
}

/**
 * Which grant a recorded request used, in the same naming; undefined when the policy would refuse it. A
 * write is granted only by a prefix its partition key starts with: a write without a partition key, or one
 * outside every granted prefix, is refused, whatever `actions` says.
 */
function grantUsed(permission: TablePermission, recorded: RecordedAction): string | undefined {
  if (recorded.index !== undefined)
    return (permission.indexQueries ?? []).includes(recorded.index as never)
      ? `Query@${recorded.index}`
      : undefined;
  if (!isWrite(recorded.action))
    return permission.actions.includes(recorded.action as never) ? recorded.action : undefined;
  for (const write of permission.prefixedWrites ?? []) {
    const prefix = write.partitionKeyPrefixes.find((candidate) =>
      recorded.partitionKey?.startsWith(candidate),
    );
    if (write.actions.includes(recorded.action as never) && prefix !== undefined)
      return `${recorded.action} ${prefix}`;
  }
  return undefined;
}

/**
 * The requests a permission would refuse (a write outside its granted partitions included), the grants no
 * request used (each prefix of a prefixed write counts alone), and the writes it grants unconfined: all
 * three must be empty.
 */
export function compareWithPermission(
  permission: TablePermission,
  recorded: readonly RecordedAction[],
): { refused: RecordedAction[]; unused: string[]; unconfined: string[] } {
  const refused = recorded.filter((request) => grantUsed(permission, request) === undefined);
  const used = new Set(recorded.map((request) => grantUsed(permission, request)));
  return {
    refused,
    unused: grants(permission).filter((grant) => !used.has(grant)),
    unconfined: unconfinedWrites(permission),
  };
}
