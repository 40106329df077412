import type { ConversationEvent } from '#flows/events.ts';
import type { Prompt } from '#flows/prompt.ts';
import { FieldDecryptionError } from '../crypto/errors.ts';
import { decryptField, encryptField, isEncryptedField } from '../crypto/field-cipher.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import type { ConversationRecord } from '../storage/records.ts';

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
