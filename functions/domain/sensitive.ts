import type { ConversationEvent } from '#flows/events.ts';
import type { Prompt } from '#flows/prompt.ts';
import { FieldDecryptionError } from '../crypto/errors.ts';
import { decryptField, encryptField, isEncryptedField } from '../crypto/field-cipher.ts';
import type { KeyProvider } from '../crypto/key-provider.ts';
import type { ConversationRecord } from '../storage/records.ts';

/**
 * Answers that identify a child (a prompt marked `sensitive`) are encrypted before the event and the
 * conversation state are written: envelope encryption with one data key per conversation, wrapped by KMS
 * (a local key in development) and stored wrapped on the conversation. Flows see only opaque tokens.
 */
const contextOf = (conversation: ConversationRecord) => ({ conversationId: conversation.id });
/** Binds every token to its conversation, so one copied into another record does not decrypt. */
const aadOf = (conversation: ConversationRecord) => `conversation:${conversation.id}`;

export async function sealSensitiveAnswer(
  keys: KeyProvider,
  conversation: ConversationRecord,
  prompt: Prompt | null,
  event: ConversationEvent,
): Promise<{ event: ConversationEvent; dataKey: string | undefined }> {
  if (!prompt?.sensitive || event.type !== 'answer.given' || typeof event.value !== 'string') {
    return { event, dataKey: conversation.dataKey };
  }
  const { key, wrapped } = conversation.dataKey
    ? {
        key: await keys.unwrapDataKey(conversation.dataKey, contextOf(conversation)),
        wrapped: conversation.dataKey,
      }
    : await keys
        .generateDataKey(contextOf(conversation))
        .then((dataKey) => ({ key: dataKey.plaintext, wrapped: dataKey.wrapped }));
  return {
    event: { ...event, value: encryptField(key, event.value, aadOf(conversation)) },
    dataKey: wrapped,
  };
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
