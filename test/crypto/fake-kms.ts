import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KMSClient } from '@aws-sdk/client-kms';
import * as z from 'zod/mini';

/**
 * Just enough of AWS KMS to test the real SDK client against: the AWS JSON 1.1 protocol (POST /,
 * `X-Amz-Target: TrentService.<Operation>`, base64 blobs) for GenerateDataKey, Decrypt and GenerateMac. Like KMS, the
 * ciphertext blob names its key and is authenticated together with the encryption context, so Decrypt
 * under another context or key fails with the error KMS gives. Written independently of
 * functions/crypto so the tests do not check that code against itself.
 */

export const FAKE_REGION = 'us-west-2';
const ACCOUNT = '111122223333';

export interface FakeKms {
  endpoint: string;
  keyId: string;
  keyArn: string;
  /** A second key in the same account, to show a blob only decrypts under the key that made it. */
  otherKeyId: string;
  /** Operations received, in order, e.g. `['GenerateDataKey', 'Decrypt']`. */
  calls: string[];
  /** A real SDK client pointed at this fake, with dummy static credentials. */
  client(): KMSClient;
  close(): Promise<void>;
}

const Base64Blob = z.string().check(z.regex(/^[A-Za-z0-9+/]+={0,2}$/));
const Context = z.optional(z.record(z.string(), z.string()));
const GenerateDataKeyRequest = z.object({
  KeyId: z.string(),
  KeySpec: z.optional(z.enum(['AES_256', 'AES_128'])),
  NumberOfBytes: z.optional(z.int().check(z.gte(1), z.lte(1024))),
  EncryptionContext: Context,
});
const GenerateMacRequest = z.object({
  KeyId: z.string(),
  MacAlgorithm: z.enum(['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512']),
  Message: Base64Blob,
});
const DecryptRequest = z.object({
  CiphertextBlob: Base64Blob,
  KeyId: z.optional(z.string()),
  EncryptionContext: Context,
});

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export async function startFakeKms(): Promise<FakeKms> {
  const keyId = randomUUID();
  const otherKeyId = randomUUID();
  const arnOf = (id: string) => `arn:aws:kms:${FAKE_REGION}:${ACCOUNT}:key/${id}`;
  const keyMaterialByArn = new Map([keyId, otherKeyId].map((id) => [arnOf(id), randomBytes(32)]));
  const calls: string[] = [];
  const clients: KMSClient[] = [];

  const resolveKey = (requested: string): string => {
    const arn = requested.startsWith('arn:') ? requested : arnOf(requested);
    if (!keyMaterialByArn.has(arn))
      throw new KmsFault('NotFoundException', `Key '${requested}' does not exist`);
    return arn;
  };

  const operations: Record<string, (body: unknown) => unknown> = {
    GenerateDataKey(body) {
      const request = parse(GenerateDataKeyRequest, body);
      const arn = resolveKey(request.KeyId);
      if ((request.KeySpec === undefined) === (request.NumberOfBytes === undefined))
        throw new KmsFault('ValidationException', 'Specify either KeySpec or NumberOfBytes, but not both.');
      const plaintext = randomBytes(request.KeySpec === 'AES_128' ? 16 : (request.NumberOfBytes ?? 32));
      return {
        KeyId: arn,
        Plaintext: plaintext.toString('base64'),
        CiphertextBlob: wrap(keyMaterialByArn.get(arn)!, arn, plaintext, request.EncryptionContext).toString(
          'base64',
        ),
      };
    },
    GenerateMac(body) {
      const request = parse(GenerateMacRequest, body);
      const arn = resolveKey(request.KeyId);
      if (request.MacAlgorithm !== 'HMAC_SHA_256')
        throw new KmsFault('InvalidKeyUsageException', 'The key is an HMAC_256 key.');
      const mac = createHmac('sha256', keyMaterialByArn.get(arn)!)
        .update(Buffer.from(request.Message, 'base64'))
        .digest();
      return { KeyId: arn, MacAlgorithm: request.MacAlgorithm, Mac: mac.toString('base64') };
    },
    Decrypt(body) {
      const request = parse(DecryptRequest, body);
      const blob = Buffer.from(request.CiphertextBlob, 'base64');
      const blobArn = arnInBlob(blob);
      const keyMaterial = blobArn === undefined ? undefined : keyMaterialByArn.get(blobArn);
      if (blobArn === undefined || keyMaterial === undefined)
        throw new KmsFault('InvalidCiphertextException', '');
      if (request.KeyId !== undefined && resolveKey(request.KeyId) !== blobArn)
        throw new KmsFault(
          'IncorrectKeyException',
          'The key ID in the request does not identify the key used.',
        );
      const unwrapped = unwrap(keyMaterial, blob, request.EncryptionContext);
      return {
        KeyId: unwrapped.arn,
        Plaintext: unwrapped.plaintext.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    },
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const body = await readBody(request);
      if (request.method !== 'POST' || request.url !== '/')
        throw new KmsFault('UnknownOperationException', 'Only POST / is served.', 404);
      if (request.headers['content-type'] !== 'application/x-amz-json-1.1')
        throw new KmsFault('SerializationException', 'Expected application/x-amz-json-1.1.');
      requireSigV4(request.headers.authorization);
      const target = String(request.headers['x-amz-target'] ?? '');
      const operation = target.startsWith('TrentService.')
        ? operations[target.slice('TrentService.'.length)]
        : undefined;
      if (!operation) throw new KmsFault('UnknownOperationException', `Unsupported target '${target}'.`);
      calls.push(target.slice('TrentService.'.length));
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        throw new KmsFault('SerializationException', 'The body is not JSON.');
      }
      send(response, 200, operation(parsed));
    } catch (error) {
      const fault =
        error instanceof KmsFault ? error : new KmsFault('KMSInternalException', 'Fake KMS failed.', 500);
      send(response, fault.status, { __type: fault.type, message: fault.message }, fault.type);
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    keyId,
    keyArn: arnOf(keyId),
    otherKeyId,
    calls,
    client() {
      const client = new KMSClient({
        endpoint,
        region: FAKE_REGION,
        credentials: { accessKeyId: 'AKIDFAKEKMS', secretAccessKey: 'fake-secret' },
        maxAttempts: 1,
      });
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.destroy();
      // The SDK keeps connections alive; without this, close() would wait for them to time out.
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

function arnInBlob(blob: Buffer): string | undefined {
  const arnLength = blob[0];
  if (arnLength === undefined || blob.length < 1 + arnLength) return undefined;
  return blob.subarray(1, 1 + arnLength).toString('utf8');
}

/** blob = keyArnLength (1 byte) | keyArn | iv (12) | ciphertext | tag (16), with the context as AAD. */
function wrap(
  keyMaterial: Buffer,
  arn: string,
  plaintext: Buffer,
  context: Record<string, string> | undefined,
): Buffer {
  const arnBytes = Buffer.from(arn, 'utf8');
  const header = Buffer.concat([Buffer.from([arnBytes.length]), arnBytes]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyMaterial, iv);
  cipher.setAAD(Buffer.concat([header, contextBytes(context)]));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, ciphertext, cipher.getAuthTag()]);
}

function unwrap(
  keyMaterial: Buffer,
  blob: Buffer,
  context: Record<string, string> | undefined,
): { arn: string; plaintext: Buffer } {
  const invalid = () => new KmsFault('InvalidCiphertextException', '');
  const arnLength = blob[0];
  if (arnLength === undefined || blob.length < 1 + arnLength + 12 + 16) throw invalid();
  const header = blob.subarray(0, 1 + arnLength);
  const iv = blob.subarray(header.length, header.length + 12);
  const ciphertext = blob.subarray(header.length + 12, blob.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', keyMaterial, iv, { authTagLength: 16 });
  decipher.setAAD(Buffer.concat([header, contextBytes(context)]));
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  try {
    const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
    return { arn: header.subarray(1).toString('utf8'), plaintext };
  } catch {
    throw invalid();
  }
}

/** KMS treats the context as an unordered map, so the fake authenticates it in a sorted form. */
function contextBytes(context: Record<string, string> | undefined): Buffer {
  const sorted = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}

/** Not a signature check, but proof the real client signed the request for KMS in the right region. */
function requireSigV4(authorization: string | undefined): void {
  const scope = new RegExp(`^AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/${FAKE_REGION}/kms/aws4_request, `);
  if (!authorization || !scope.test(authorization))
    throw new KmsFault(
      'MissingAuthenticationTokenException',
      'Missing or malformed SigV4 authorization.',
      403,
    );
}

function parse<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new KmsFault('ValidationException', 'The request does not match the operation.');
  return result.data;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': randomUUID(),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(JSON.stringify(body));
}
