import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { crc32 } from 'node:zlib';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';

/**
 * A fake S3 on 127.0.0.1 that speaks the S3 REST protocol (path-style), for the few operations the anchor
 * store uses, against buckets with Object Lock in compliance mode (so versioned): PutObject (plain or
 * `aws-chunked` with a trailing checksum, `If-None-Match: *`), GetObject, ListObjectsV2 (paginated) and
 * DeleteObject (always refused). It is driven by the real `S3Client`, so what the SDK sends is what is
 * checked: checksums are recomputed over the decoded body, a PUT without one is refused as Object Lock
 * refuses it, errors are S3's XML so the SDK maps them to its named exceptions. Not modelled: SigV4
 * signatures (only the header's shape and region are checked), delete markers, retention periods, ACLs.
 */

export interface LoopbackS3Options {
  buckets: readonly string[];
  /** The most keys one ListObjectsV2 page holds, whatever `max-keys` asks (S3's own ceiling is 1000). */
  pageSize?: number;
  /** The region the signatures must be scoped to (default us-west-2). */
  region?: string;
}

export interface StoredObject {
  body: Buffer;
  etag: string;
  versionId: string;
  contentType: string;
  lastModified: Date;
  /** The checksums the PUT carried and the server verified, by algorithm (`SHA256`, `CRC32`, ...). */
  checksums: Record<string, string>;
}

export interface LoggedRequest {
  method: string;
  /** The request target as sent (path and query). */
  url: string;
  bucket: string | undefined;
  key: string | undefined;
  query: Record<string, string>;
  /** The integrity and condition headers (x-amz-*, content-*, if-*), without the authorization. */
  headers: Record<string, string>;
  status: number;
  /** The S3 error code answered, if any. */
  error?: string;
  /** For a PUT: the checksums the server recomputed over the decoded body and found equal. */
  verified?: Array<{ algorithm: string; value: string; from: 'header' | 'trailer' }>;
}

export interface LoopbackS3 {
  endpoint: string;
  /** An S3Client pointed at this server (path-style, dummy credentials, us-west-2), with any overrides. */
  client(overrides?: Partial<S3ClientConfig>): S3Client;
  /** The current version of each key in the bucket. */
  objects(bucket: string): Map<string, StoredObject>;
  /** Every version of a key, oldest first (Object Lock keeps them all). */
  versions(bucket: string, key: string): StoredObject[];
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const OBJECT_LOCK_MESSAGE =
  'Content-MD5 OR x-amz-checksum- HTTP header is required for Put Object requests with Object Lock parameters';
const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}

const xmlEscape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!,
  );
const element = (name: string, value: string | number | boolean) =>
  `<${name}>${xmlEscape(String(value))}</${name}>`;

/** The value S3 compares with `x-amz-checksum-<algorithm>` (base64 of the digest, big-endian for CRCs). */
function checksumOf(algorithm: string, body: Buffer): string | undefined {
  switch (algorithm) {
    case 'sha256':
    case 'sha1':
      return createHash(algorithm).update(body).digest('base64');
    case 'crc32': {
      const digest = Buffer.alloc(4);
      digest.writeUInt32BE(crc32(body));
      return digest.toString('base64');
    }
    default:
      return undefined;
  }
}

/** Decodes an `aws-chunked` body: `hex-size[;chunk-signature=...]\r\n data \r\n ... 0\r\n trailers \r\n`. */
function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const malformed = () =>
    new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly (malformed aws-chunked).');
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = raw.indexOf('\r\n', at);
    if (end < 0) throw malformed();
    const sizeText = raw.subarray(at, end).toString('latin1').split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw malformed();
    const size = Number.parseInt(sizeText, 16);
    at = end + 2;
    if (size === 0) break;
    if (at + size + 2 > raw.length || raw.subarray(at + size, at + size + 2).toString('latin1') !== '\r\n')
      throw malformed();
    parts.push(raw.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  for (;;) {
    const end = raw.indexOf('\r\n', at);
    if (end < 0)
      throw new S3Error(
        400,
        'MalformedTrailerError',
        'The request contained trailing data that was not well-formed.',
      );
    const line = raw.subarray(at, end).toString('latin1');
    at = end + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new S3Error(
        400,
        'MalformedTrailerError',
        'The request contained trailing data that was not well-formed.',
      );
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}

/** UTF-8 binary order, as S3 lists keys. */
const byUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export async function startLoopbackS3(options: LoopbackS3Options): Promise<LoopbackS3> {
  const region = options.region ?? 'us-west-2';
  const pageSize = options.pageSize ?? 1000;
  const buckets = new Map<string, Map<string, StoredObject[]>>(
    options.buckets.map((name) => [name, new Map()]),
  );
  const requests: LoggedRequest[] = [];
  const clients: S3Client[] = [];

  const bucketOf = (name: string) => {
    const bucket = buckets.get(name);
    if (!bucket)
      throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
    return bucket;
  };

  function checkAuthorization(headers: IncomingMessage['headers']) {
    const authorization = headers.authorization ?? '';
    const scope = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/([^/]+)\/s3\/aws4_request,/.exec(authorization);
    if (!scope) throw new S3Error(403, 'AccessDenied', 'Access Denied');
    if (scope[1] !== region)
      throw new S3Error(
        400,
        'AuthorizationHeaderMalformed',
        `The authorization header is malformed; the region '${scope[1]}' is wrong; expecting '${region}'`,
        { Region: region },
      );
  }

  function putObject(
    bucket: Map<string, StoredObject[]>,
    key: string,
    req: IncomingMessage,
    raw: Buffer,
    log: LoggedRequest,
    res: ServerResponse,
  ) {
    const headers = req.headers;
    const header = (name: string) => {
      const value = headers[name];
      return Array.isArray(value) ? value.join(',') : value;
    };
    const encodings = (header('content-encoding') ?? '').split(',').map((part) => part.trim());
    const chunked = encodings.includes('aws-chunked');
    let body = raw;
    let trailers: Record<string, string> = {};
    if (chunked) {
      ({ body, trailers } = decodeAwsChunked(raw));
      const decodedLength = header('x-amz-decoded-content-length');
      if (decodedLength === undefined)
        throw new S3Error(411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
      if (Number(decodedLength) !== body.length)
        throw new S3Error(
          400,
          'IncompleteBody',
          'You did not provide the number of bytes specified by the Content-Length HTTP header',
        );
      for (const name of (header('x-amz-trailer') ?? '').split(',').map((part) => part.trim().toLowerCase()))
        if (name && trailers[name] === undefined)
          throw new S3Error(
            400,
            'MalformedTrailerError',
            `The request is missing the declared trailer ${name}.`,
          );
    }
    const contentSha256 = header('x-amz-content-sha256');
    if (contentSha256 === undefined)
      throw new S3Error(
        400,
        'InvalidRequest',
        'Missing required header for this request: x-amz-content-sha256',
      );
    if (/^[0-9a-f]{64}$/.test(contentSha256)) {
      if (chunked || createHash('sha256').update(body).digest('hex') !== contentSha256)
        throw new S3Error(
          400,
          'XAmzContentSHA256Mismatch',
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
        );
    } else if (chunked !== contentSha256.startsWith('STREAMING-')) {
      throw new S3Error(
        400,
        'InvalidArgument',
        `x-amz-content-sha256 ${contentSha256} does not fit the body.`,
      );
    }

    // Integrity: every checksum sent is recomputed over the decoded body.
    const verified: NonNullable<LoggedRequest['verified']> = [];
    const md5 = header('content-md5');
    if (md5 !== undefined && createHash('md5').update(body).digest('base64') !== md5)
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    for (const algorithm of CHECKSUM_ALGORITHMS) {
      const name = `x-amz-checksum-${algorithm}`;
      const sources = [
        ...(header(name) === undefined ? [] : [{ value: header(name)!, from: 'header' as const }]),
        ...(trailers[name] === undefined ? [] : [{ value: trailers[name]!, from: 'trailer' as const }]),
      ];
      for (const { value, from } of sources) {
        const computed = checksumOf(algorithm, body);
        if (computed === undefined)
          throw new S3Error(
            501,
            'NotImplemented',
            `The loopback S3 does not compute ${algorithm.toUpperCase()}.`,
          );
        if (computed !== value)
          throw new S3Error(
            400,
            'BadDigest',
            `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`,
          );
        verified.push({ algorithm: algorithm.toUpperCase(), value, from });
      }
    }
    // Object Lock: a PUT must carry an integrity check.
    if (md5 === undefined && verified.length === 0)
      throw new S3Error(400, 'InvalidRequest', OBJECT_LOCK_MESSAGE);
    log.verified = verified;

    const existing = bucket.get(key);
    const ifNoneMatch = header('if-none-match');
    if (ifNoneMatch !== undefined) {
      if (ifNoneMatch.trim() !== '*')
        throw new S3Error(
          501,
          'NotImplemented',
          'A header you provided implies functionality that is not implemented',
          {
            Header: 'If-None-Match',
          },
        );
      if (existing)
        throw new S3Error(
          412,
          'PreconditionFailed',
          'At least one of the pre-conditions you specified did not hold',
          {
            Condition: 'If-None-Match',
          },
        );
    }
    const object: StoredObject = {
      body,
      etag: `"${createHash('md5').update(body).digest('hex')}"`,
      versionId: randomUUID().replaceAll('-', ''),
      contentType: header('content-type') ?? 'binary/octet-stream',
      lastModified: new Date(),
      checksums: Object.fromEntries(verified.map(({ algorithm, value }) => [algorithm, value])),
    };
    // Versioned (Object Lock needs it): a new version never replaces the bytes of an earlier one.
    bucket.set(key, [...(existing ?? []), object]);
    res.setHeader('ETag', object.etag);
    res.setHeader('x-amz-version-id', object.versionId);
    for (const { algorithm, value } of verified)
      res.setHeader(`x-amz-checksum-${algorithm.toLowerCase()}`, value);
    if (verified.length > 0) res.setHeader('x-amz-checksum-type', 'FULL_OBJECT');
    res.statusCode = 200;
    res.end();
  }

  function getObject(
    bucket: Map<string, StoredObject[]>,
    key: string,
    req: IncomingMessage,
    res: ServerResponse,
  ) {
    const object = bucket.get(key)?.at(-1);
    if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    res.statusCode = 200;
    res.setHeader('Content-Type', object.contentType);
    res.setHeader('Content-Length', object.body.length);
    res.setHeader('ETag', object.etag);
    res.setHeader('Last-Modified', object.lastModified.toUTCString());
    res.setHeader('x-amz-version-id', object.versionId);
    res.setHeader('x-amz-object-lock-mode', 'COMPLIANCE');
    if (req.headers['x-amz-checksum-mode'] === 'ENABLED') {
      for (const [algorithm, value] of Object.entries(object.checksums))
        res.setHeader(`x-amz-checksum-${algorithm.toLowerCase()}`, value);
      if (Object.keys(object.checksums).length > 0) res.setHeader('x-amz-checksum-type', 'FULL_OBJECT');
    }
    res.end(req.method === 'HEAD' ? undefined : object.body);
  }

  function listObjectsV2(name: string, bucket: Map<string, StoredObject[]>, query: Record<string, string>) {
    if (query.delimiter !== undefined)
      throw new S3Error(501, 'NotImplemented', 'The loopback S3 does not list with a delimiter.');
    const prefix = query.prefix ?? '';
    const maxKeys = query['max-keys'] === undefined ? 1000 : Number(query['max-keys']);
    if (!Number.isInteger(maxKeys) || maxKeys < 0)
      throw new S3Error(400, 'InvalidArgument', 'Provided max-keys not an integer or within integer range', {
        ArgumentName: 'max-keys',
      });
    let after = query['start-after'] ?? '';
    const token = query['continuation-token'];
    if (token !== undefined) {
      const decoded = Buffer.from(token, 'base64url').toString('utf8');
      if (!decoded.startsWith('loopback:'))
        throw new S3Error(400, 'InvalidArgument', 'The continuation token provided is incorrect', {
          ArgumentName: 'continuation-token',
        });
      after = decoded.slice('loopback:'.length);
    }
    const urlEncoded = query['encoding-type'] === 'url';
    const encode = (key: string) => (urlEncoded ? encodeURIComponent(key).replaceAll('%2F', '/') : key);
    const matching = [...bucket.keys()]
      .filter((key) => key.startsWith(prefix) && byUtf8(key, after) > 0)
      .sort(byUtf8);
    const page = matching.slice(0, Math.min(maxKeys, pageSize));
    const truncated = matching.length > page.length;
    const contents = page.map((key) => {
      const object = bucket.get(key)!.at(-1)!;
      return `<Contents>${element('Key', encode(key))}${element('LastModified', object.lastModified.toISOString())}${element('ETag', object.etag)}${Object.keys(
        object.checksums,
      )
        .map((algorithm) => element('ChecksumAlgorithm', algorithm))
        .join(
          '',
        )}${element('ChecksumType', 'FULL_OBJECT')}${element('Size', object.body.length)}${element('StorageClass', 'STANDARD')}</Contents>`;
    });
    return `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${NS}">${element('Name', name)}${element('Prefix', encode(prefix))}${element('MaxKeys', maxKeys)}${element('KeyCount', page.length)}${element('IsTruncated', truncated)}${urlEncoded ? element('EncodingType', 'url') : ''}${token === undefined ? '' : element('ContinuationToken', token)}${truncated ? element('NextContinuationToken', Buffer.from(`loopback:${page.at(-1)}`, 'utf8').toString('base64url')) : ''}${query['start-after'] === undefined ? '' : element('StartAfter', encode(query['start-after']))}${contents.join('')}</ListBucketResult>`;
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query = Object.fromEntries(url.searchParams);
      const [, bucketName, ...rest] = url.pathname.split('/');
      const key = rest.length > 0 && rest.join('/') !== '' ? decodeURIComponent(rest.join('/')) : undefined;
      const log: LoggedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        bucket: bucketName ? decodeURIComponent(bucketName) : undefined,
        key,
        query,
        headers: Object.fromEntries(
          Object.entries(req.headers)
            .filter(([name]) => /^(x-amz-|content-|if-)/.test(name))
            .map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]),
        ),
        status: 0,
      };
      requests.push(log);
      const requestId = randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase();
      res.setHeader('x-amz-request-id', requestId);
      try {
        checkAuthorization(req.headers);
        if (!log.bucket) throw new S3Error(501, 'NotImplemented', 'The loopback S3 does not list buckets.');
        const bucket = bucketOf(log.bucket);
        if (key === undefined) {
          if (req.method === 'GET' && query['list-type'] === '2') {
            const xml = listObjectsV2(log.bucket, bucket, query);
            res.statusCode = 200;
            res.setHeader('Content-Type', 'application/xml');
            res.end(xml);
          } else
            throw new S3Error(
              501,
              'NotImplemented',
              `The loopback S3 does not implement ${req.method} on a bucket.`,
            );
        } else if (req.method === 'PUT') {
          if (Object.keys(query).some((name) => name !== 'x-id'))
            throw new S3Error(501, 'NotImplemented', 'The loopback S3 only implements PutObject.');
          putObject(bucket, key, req, Buffer.concat(chunks), log, res);
        } else if (req.method === 'GET' || req.method === 'HEAD') {
          getObject(bucket, key, req, res);
        } else if (req.method === 'DELETE') {
          // Compliance mode: no one deletes a locked object version before its retention ends.
          throw new S3Error(403, 'AccessDenied', 'Access Denied because object protected by object lock.');
        } else
          throw new S3Error(
            405,
            'MethodNotAllowed',
            'The specified method is not allowed against this resource.',
          );
      } catch (error) {
        const s3 =
          error instanceof S3Error
            ? error
            : new S3Error(500, 'InternalError', `We encountered an internal error: ${String(error)}`);
        log.error = s3.code;
        res.statusCode = s3.status;
        if (req.method === 'HEAD') res.end();
        else {
          res.setHeader('Content-Type', 'application/xml');
          const extra = Object.entries(s3.extra)
            .map(([name, value]) => element(name, value))
            .join('');
          res.end(
            `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${element('Code', s3.code)}${element('Message', s3.message)}${extra}${element('RequestId', requestId)}</Error>`,
          );
        }
      }
      log.status = res.statusCode;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const endpoint = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    endpoint,
    client(overrides = {}) {
      const client = new S3Client({
        endpoint,
        forcePathStyle: true,
        region,
        credentials: { accessKeyId: 'AKIDLOOPBACK', secretAccessKey: 'loopback-secret' },
        maxAttempts: 1,
        ...overrides,
      });
      clients.push(client);
      return client;
    },
    objects(name) {
      const bucket = buckets.get(name);
      if (!bucket) throw new Error(`no bucket ${name} in the loopback S3`);
      return new Map([...bucket].map(([key, versions]) => [key, versions.at(-1)!]));
    },
    versions: (name, key) => [...(buckets.get(name)?.get(key) ?? [])],
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of clients) client.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
