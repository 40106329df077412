import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import type { KeyProvider } from '#functions/crypto/key-provider.ts';
import { createKmsKeyProvider } from '#functions/crypto/kms-key-provider.ts';
import { createLocalKeyProvider } from '#functions/crypto/local-key-provider.ts';
import { loadLocalMasterKey } from '#functions/crypto/local-master-key.ts';

/**
 * The keys an operator's script uses: against DynamoDB Local (an endpoint), the local master key `npm start`
 * keeps in DATA_DIR/local-master-key (or $CSE_LOCAL_MASTER_KEY); against AWS, KMS with the field key in
 * $DATA_KEY_ID and the HMAC key in $MAC_KEY_ID. Undefined when neither is configured.
 */
export async function keysFor(options: {
  endpoint?: string | undefined;
  dataDir?: string | undefined;
  region?: string | undefined;
  env?: NodeJS.ProcessEnv;
}): Promise<KeyProvider | undefined> {
  const env = options.env ?? process.env;
  if (options.endpoint !== undefined) {
    const filePath = join(options.dataDir ?? '.data', 'local-master-key');
    return createLocalKeyProvider(await loadLocalMasterKey({ filePath, env }));
  }
  if (!env.DATA_KEY_ID && !env.MAC_KEY_ID) return undefined;
  const client = new KMSClient(options.region ? { region: options.region } : {});
  return createKmsKeyProvider(client, env.DATA_KEY_ID ?? '', env.MAC_KEY_ID);
}
