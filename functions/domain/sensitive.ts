import type { ConversationEvent } from '#flows/events.ts';
import type { Prompt } from '#flows/prompt.ts';
import { FieldDecryptionError } from '../crypto/errors.ts';
import { decryptField, encryptField, isEncryptedField } from '../crypto/field-cipher.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import type { ConversationRecord, TaskRecord } from '../storage/records.ts';

/**
 * Issue 16: everything a person typed is sealed before the event and the conversation state are written:
 * the value of every free-text prompt (and of any prompt marked `sensitive`) and every note. Structured
 * choices, dates and unknown/skip stay clear, because the flows, duties, queries and the county's
 * hand-off need them and they name no one. Envelope encryption with one data key per conversation, wrapped
 * by KMS (a local key in development) and stored wrapped on the conversation. Flows see only opaque
 * tokens, so the state, the outcome and the stream hold tokens too.
 */
const contextOf = (conversation: ConversationRecord) => ({ conversationId: conversation.id });
/** Binds every token to its conversation, so one copied into another record does not decrypt. */
const aadOf = (conversation: ConversationRecord) => `conversation:${conversation.id}`;

/** Whether an answer to this prompt is typed by a person (and so may say anything about a child). */
export function isTypedAnswer(prompt: Prompt | null): boolean {
  return prompt?.kind === 'text' || prompt?.sensitive === true;
}

export async function sealTypedText(
  keys: KeyProvider,
  conversation: ConversationRecord,
  prompt: Prompt | null,
  event: ConversationEvent,
): Promise<{ event: ConversationEvent; dataKey: string | undefined }> {
  if (event.type !== 'answer.given') return { event, dataKey: conversation.dataKey };
  const sealValue = isTypedAnswer(prompt) && typeof event.value === 'string';
  const sealNote = event.note !== undefined && event.note !== '';
  if (!sealValue && !sealNote) return { event, dataKey: conversation.dataKey };
  const { key, wrapped } = await dataKeyOf(keys, conversation);
  const aad = aadOf(conversation);
  return {
    event: {
      ...event,
      ...(sealValue ? { value: encryptField(key, event.value as string, aad) } : {}),
      ...(sealNote ? { note: encryptField(key, event.note as string, aad) } : {}),
    },
    dataKey: wrapped,
  };
}

async function dataKeyOf(keys: KeyProvider, conversation: ConversationRecord) {
  if (conversation.dataKey)
    return {
      key: await keys.unwrapDataKey(conversation.dataKey, contextOf(conversation)),
      wrapped: conversation.dataKey,
    };
  const dataKey = await keys.generateDataKey(contextOf(conversation));
  return { key: dataKey.plaintext, wrapped: dataKey.wrapped };
}

/** The reply shows the reader (already authorised for this conversation) the plaintext of its own tokens. */
export async function revealSensitive<T>(
  keys: KeyProvider,
  conversation: ConversationRecord,
  value: T,
): Promise<T> {
  if (!conversation.dataKey) return value;
  const key = await keys.unwrapDataKey(conversation.dataKey, contextOf(conversation));
  const aad = aadOf(conversation);
  const walk = (node: unknown): unknown => {
    if (isEncryptedField(node)) {
      try {
        return decryptField(key, node, aad);
      } catch (error) {
        // Text someone typed that merely looks like a token is not ours to open: it is shown as typed.
        if (error instanceof FieldDecryptionError) return node;
        throw error;
      }
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([name, child]) => [name, walk(child)]));
    }
    return node;
  };
  return walk(value) as T;
}

/**
 * Issue 16: what a worker types about a task (the agency and reference number of a report, the reason for
 * cancelling) is sealed too, with the task's own data key, bound to the task. The report time stays clear:
 * the deadline checks and the supervisors' on-time rate need it, and it names no one.
 */
const taskContextOf = (task: TaskRecord) => ({ taskId: task.id });
const taskAadOf = (task: TaskRecord) => `task:${task.id}`;

/** Seals the named fields, which hold text as typed (a request's, or a legacy row's found by `typedTaskFields`). */
export async function sealTaskText(
  keys: KeyProvider,
  task: TaskRecord,
  fields: ReadonlyArray<'cancelReason' | 'evidence'>,
): Promise<TaskRecord> {
  const sealReason = fields.includes('cancelReason') && task.cancelReason !== undefined;
  const sealEvidence = fields.includes('evidence') && task.evidence !== undefined;
  if (!sealReason && !sealEvidence) return task;
  const { key, wrapped } = task.dataKey
    ? { key: await keys.unwrapDataKey(task.dataKey, taskContextOf(task)), wrapped: task.dataKey }
    : await keys
        .generateDataKey(taskContextOf(task))
        .then((made) => ({ key: made.plaintext, wrapped: made.wrapped }));
  const seal = (text: string) => encryptField(key, text, taskAadOf(task));
  return {
    ...task,
    dataKey: wrapped,
    ...(sealReason ? { cancelReason: seal(task.cancelReason!) } : {}),
    ...(sealEvidence
      ? {
          evidence: {
            ...task.evidence!,
            agency: seal(task.evidence!.agency),
            referenceNumber: seal(task.evidence!.referenceNumber),
          },
        }
      : {}),
  };
}

/** The fields of a stored task that still hold text as typed (written before issue 16). */
export async function typedTaskFields(
  keys: KeyProvider,
  task: TaskRecord,
): Promise<Array<'cancelReason' | 'evidence'>> {
  const shown = await revealTask(keys, task);
  const asTyped = (stored: string | undefined, revealed: string | undefined) =>
    stored !== undefined && stored === revealed;
  return [
    ...(asTyped(task.cancelReason, shown.cancelReason) ? (['cancelReason'] as const) : []),
    ...(task.evidence &&
    (asTyped(task.evidence.agency, shown.evidence?.agency) ||
      asTyped(task.evidence.referenceNumber, shown.evidence?.referenceNumber))
      ? (['evidence'] as const)
      : []),
  ];
}

/** The task as its reader (already authorised for it) sees it: its typed text as typed. */
export async function revealTask(keys: KeyProvider, task: TaskRecord): Promise<TaskRecord> {
  if (!task.dataKey) return task;
  const key = await keys.unwrapDataKey(task.dataKey, taskContextOf(task));
  const open = (text: string) => {
    if (!isEncryptedField(text)) return text;
    try {
      return decryptField(key, text, taskAadOf(task));
    } catch (error) {
      if (error instanceof FieldDecryptionError) return text;
      throw error;
    }
  };
  return {
    ...task,
    ...(task.cancelReason !== undefined ? { cancelReason: open(task.cancelReason) } : {}),
    ...(task.evidence
      ? {
          evidence: {
            ...task.evidence,
            agency: open(task.evidence.agency),
            referenceNumber: open(task.evidence.referenceNumber),
          },
        }
      : {}),
  };
}

export function revealTasks(keys: KeyProvider, tasks: readonly TaskRecord[]): Promise<TaskRecord[]> {
  return Promise.all(tasks.map((task) => revealTask(keys, task)));
}
