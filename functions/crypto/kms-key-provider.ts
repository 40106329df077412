import {
  DecryptCommand,
  GenerateDataKeyCommand,
  GenerateMacCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { DataKeyGenerationError, DataKeyUnwrapError } from './errors.ts';
import { canonicalContext, DATA_KEY_BYTES, type KeyProvider, macInput } from './key-provider.ts';

/**
 * Data keys from AWS KMS. KMS binds the encryption context into the ciphertext blob and refuses to
 * decrypt it under any other context, which is what stops a wrapped key moving between records.
 */

const WRAPPED_PREFIX = 'kms:v1:';

/** KMS errors that mean "this blob will never decrypt here", as opposed to throttling or outages. */
const UNWRAP_REFUSALS = new Set(['InvalidCiphertextException', 'IncorrectKeyException']);

/**
 * `macKeyId` names an HMAC_256 KMS key (GENERATE_VERIFY_MAC): its key material never leaves KMS, so a MAC
 * cannot be computed by anyone without `kms:GenerateMac` on it. Without one, every MAC fails closed.
 */
export function createKmsKeyProvider(client: KMSClient, keyId: string, macKeyId?: string): KeyProvider {
  return {
    async mac(purpose, message) {
      if (!macKeyId) throw new DataKeyGenerationError('No MAC key is configured (MAC_KEY_ID).');
      const result = await client.send(
        new GenerateMacCommand({
          KeyId: macKeyId,
          MacAlgorithm: 'HMAC_SHA_256',
          Message: macInput(purpose, message),
        }),
      );
      if (!result.Mac?.length) throw new DataKeyGenerationError('KMS GenerateMac returned no MAC.');
      return `${WRAPPED_PREFIX}${Buffer.from(result.Mac).toString('hex')}`;
    },
    async generateDataKey(context) {
      canonicalContext(context);
      const result = await client.send(
        new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { ...context } }),
      );
      if (result.Plaintext?.length !== DATA_KEY_BYTES || !result.CiphertextBlob?.length)
        throw new DataKeyGenerationError('KMS GenerateDataKey returned no usable AES-256 data key.');
      return {
        plaintext: result.Plaintext,
        wrapped: `${WRAPPED_PREFIX}${Buffer.from(result.CiphertextBlob).toString('base64')}`,
      };
    },
    async unwrapDataKey(wrapped, context) {
      canonicalContext(context);
      if (!wrapped.startsWith(WRAPPED_PREFIX))
        throw new DataKeyUnwrapError({ explanation: 'The data key was not wrapped by KMS.' });
      const blob = Buffer.from(wrapped.slice(WRAPPED_PREFIX.length), 'base64');
      if (blob.length === 0) throw new DataKeyUnwrapError();
      try {
        // Naming the key makes KMS refuse a blob made under any other key, even one we may also use.
        const result = await client.send(
          new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { ...context }, KeyId: keyId }),
        );
        if (result.Plaintext?.length !== DATA_KEY_BYTES) throw new DataKeyUnwrapError();
        return result.Plaintext;
      } catch (error) {
        if (error instanceof Error && UNWRAP_REFUSALS.has(error.name))
          throw new DataKeyUnwrapError({ cause: error });
        throw error;
      }
    },
  };
}
