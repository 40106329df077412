import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { AnchorBody } from '#functions/audit/anchors.ts';
import { s3AnchorStore } from '#functions/audit/s3-anchor-store.ts';
import { makeAnchorHandler } from '#functions/jobs/anchor-heads.ts';
import { keys } from '#functions/storage/table.ts';
import { runAuditVerify } from '../../scripts/audit-verify.ts';
import { type LoopbackS3, startLoopbackS3 } from '../support/loopback-s3.ts';
import { ScreeningDriver } from '../support/screening.ts';
import { createTestStack } from '../support/stack.ts';

/**
 * Issue 16: the anchors' home in AWS, an S3 bucket with Object Lock, exercised through the real S3Client
 * against a loopback server that speaks the S3 REST protocol (there is no AWS account here). The server
 * pages listings two keys at a time, verifies every checksum and refuses what a locked bucket refuses.
 */

const BUCKET = 'anchors';
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('base64');

let s3: LoopbackS3;

beforeEach(async () => {
  s3 = await startLoopbackS3({ buckets: [BUCKET, 'elsewhere'], pageSize: 2 });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await s3.close();
});

const puts = () => s3.requests.filter((r) => r.method === 'PUT');

describe('s3AnchorStore against a loopback S3 with Object Lock', () => {
  it('round-trips exact bytes and lists names without the prefix, sorted, across pages', async () => {
    const client = s3.client();
    const store = s3AnchorStore(client, BUCKET);
    expect(await store.list()).toEqual([]);
    const names = [3, 1, 5, 2, 4].map((seq) => `anchor-${String(seq).padStart(10, '0')}.json`);
    const bodyOf = (name: string) =>
      JSON.stringify({ body: `{"name":"${name}","note":"Niño ☂ 🚨"}`, mac: name });
    for (const name of names) await store.putOnce(name, bodyOf(name));
    // Not anchors: outside the prefix, so never listed (one sorts before it, one after).
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'anchor-stray.json', Body: 'x' }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'anchors0/late.json', Body: 'y' }));

    const listed = await store.list();
    expect(listed).toEqual([...names].sort());
    // 5 anchors at 2 a page: the store followed the continuation tokens through 3 pages.
    const pages = s3.requests.filter((r) => r.method === 'GET' && r.query['list-type'] === '2').slice(-3);
    expect(pages.map((page) => page.query['continuation-token'] !== undefined)).toEqual([false, true, true]);
    expect(pages.every((page) => page.query.prefix === 'anchors/')).toBe(true);

    for (const name of names) {
      expect(await store.get(name)).toBe(bodyOf(name));
      expect(
        s3
          .objects(BUCKET)
          .get(`anchors/${name}`)
          ?.body.equals(Buffer.from(bodyOf(name), 'utf8')),
      ).toBe(true);
    }
    await expect(store.get('anchor-0000000009.json')).rejects.toMatchObject({
      name: 'NoSuchKey',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(s3AnchorStore(client, 'no-such-bucket').list()).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });

  it('refuses a second putOnce of the same name and keeps the first anchor', async () => {
    const store = s3AnchorStore(s3.client(), BUCKET);
    await store.putOnce('anchor-0000000001.json', '{"first":true}');
    await expect(store.putOnce('anchor-0000000001.json', '{"second":true}')).rejects.toMatchObject({
      name: 'PreconditionFailed',
      $metadata: { httpStatusCode: 412 },
    });
    expect(await store.get('anchor-0000000001.json')).toBe('{"first":true}');
    // Not even a second version was written behind the first.
    expect(s3.versions(BUCKET, 'anchors/anchor-0000000001.json')).toHaveLength(1);
    expect(puts().map((put) => [put.headers['if-none-match'], put.status])).toEqual([
      ['*', 200],
      ['*', 412],
    ]);
    // Compliance mode: not deletable either.
    const locked = await fetch(`${s3.endpoint}/${BUCKET}/anchors/anchor-0000000001.json`, {
      method: 'DELETE',
      headers: { authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/s3/aws4_request, x' },
    });
    expect(locked.status).toBe(403);
    expect(await locked.text()).toContain('<Code>AccessDenied</Code>');
    expect(await store.get('anchor-0000000001.json')).toBe('{"first":true}');
  });

  it('sends a SHA-256 checksum with every PUT, which the server verified; the server refuses a PUT without one', async () => {
    const store = s3AnchorStore(s3.client(), BUCKET);
    const bodies = ['{"seq":1}', '{"seq":2,"note":"é"}'];
    await store.putOnce('anchor-0000000001.json', bodies[0]!);
    await store.putOnce('anchor-0000000002.json', bodies[1]!);
    expect(puts()).toHaveLength(2);
    for (const [index, put] of puts().entries()) {
      expect(put.status).toBe(200);
      expect(put.headers['x-amz-sdk-checksum-algorithm']).toBe('SHA256');
      expect(put.verified).toEqual([
        { algorithm: 'SHA256', value: sha256(Buffer.from(bodies[index]!, 'utf8')), from: expect.any(String) },
      ]);
    }
    expect(s3.objects(BUCKET).get('anchors/anchor-0000000002.json')?.checksums).toEqual({
      SHA256: sha256(bodies[1]!),
    });

    // The server checks what it claims to. No checksum at all: refused, as a bucket with Object Lock does.
    const bare = s3.client({ requestChecksumCalculation: 'WHEN_REQUIRED' });
    await expect(
      bare.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'anchors/bare.json', Body: '{}' })),
    ).rejects.toMatchObject({
      name: 'InvalidRequest',
      message: expect.stringContaining('Content-MD5 OR x-amz-checksum- HTTP header is required'),
      $metadata: { httpStatusCode: 400 },
    });
    // A checksum that does not match the body: refused.
    await expect(
      bare.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: 'anchors/wrong.json',
          Body: '{"seq":3}',
          ChecksumSHA256: sha256('{"seq":4}'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'BadDigest', $metadata: { httpStatusCode: 400 } });
    // A streamed body goes aws-chunked with the checksum in a trailer, which is decoded and verified too.
    const streamed = Buffer.from('{"seq":5,"streamed":true}');
    await s3.client().send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'anchors/streamed.json',
        Body: Readable.from([streamed.subarray(0, 7), streamed.subarray(7)]),
        ContentLength: streamed.length,
        ChecksumAlgorithm: 'SHA256',
      }),
    );
    const chunkedPut = puts().at(-1)!;
    expect(chunkedPut.headers['content-encoding']).toBe('aws-chunked');
    expect(chunkedPut.headers['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    expect(chunkedPut.verified).toEqual([{ algorithm: 'SHA256', value: sha256(streamed), from: 'trailer' }]);
    expect(await store.get('streamed.json')).toBe(streamed.toString());
    // The same framing with a trailer that does not match: refused.
    const badTrailer = await rawChunkedPut('anchors/tampered.json', '{"seq":6}', sha256('{"seq":7}'));
    expect(badTrailer.status).toBe(400);
    expect(badTrailer.body).toContain('<Code>BadDigest</Code>');
    expect([...s3.objects(BUCKET).keys()].sort()).toEqual([
      'anchors/anchor-0000000001.json',
      'anchors/anchor-0000000002.json',
      'anchors/streamed.json',
    ]);
  });

  it('end to end: the anchor job writes to the bucket and audit:verify --anchor-bucket checks the table against it', async () => {
    const stack = await createTestStack({ startAt: '2026-11-28T17:00:00.000Z' });
    const driver = await ScreeningDriver.start(stack, 'en', 'CASE-S3-ANCHOR');
    await driver.sendAll([{ answer: 'present' }, { answer: 'not_present' }, { unknown: true }]);
    const store = s3AnchorStore(s3.client(), BUCKET);
    const anchorJob = makeAnchorHandler(() => ({
      doc: stack.doc,
      tableName: stack.tableName,
      store,
      keys: stack.deps.services.keys,
      clock: () => new Date(),
      logger: stack.deps.logger,
    }));
    expect(await anchorJob()).toMatchObject({ seq: 1 });
    await driver.sendAll([{ answer: 'not_present' }]);
    expect(await anchorJob()).toMatchObject({ seq: 2 });
    await driver.sendAll([{ answer: 'not_present' }]);
    expect(await anchorJob()).toMatchObject({ seq: 3 });

    // Three anchors in the bucket (two list pages), the last vouching for the conversation's 5th event.
    expect([...s3.objects(BUCKET).keys()]).toEqual([
      'anchors/anchor-0000000001.json',
      'anchors/anchor-0000000002.json',
      'anchors/anchor-0000000003.json',
    ]);
    const third = JSON.parse(await store.get('anchor-0000000003.json')) as { body: string };
    const conversation = (
      await stack.doc.send(
        new GetCommand({
          TableName: stack.tableName,
          Key: keys.conversation(driver.id),
          ConsistentRead: true,
        }),
      )
    ).Item!;
    const chain = conversation.chain as { seq: number; hash: string };
    expect(chain.seq).toBe(5);
    expect((JSON.parse(third.body) as AnchorBody).conversations[driver.id]).toMatchObject(chain);

    // The CLI's own S3 path (`--anchor-bucket`): a default S3Client, pointed here by the SDK's standard
    // environment (AWS_ENDPOINT_URL_S3 and credentials), as an auditor would point it at a bucket.
    vi.stubEnv('AWS_ENDPOINT_URL_S3', s3.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDLOOPBACK');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'loopback-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', '');
    const audit = async (...extra: string[]) => {
      const lines: string[] = [];
      const io = { stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) };
      const code = await runAuditVerify(
        [
          '--endpoint',
          inject('dynamoEndpoint'),
          '--table',
          stack.tableName,
          '--region',
          'us-west-2',
          ...extra,
        ],
        io,
        undefined,
        async () => stack.deps.services.keys,
      );
      return { code, output: lines.join('\n') };
    };
    const withAnchors = () => audit('--anchor-bucket', BUCKET);

    const before = s3.requests.length;
    const intact = await withAnchors();
    expect(intact.output).toMatch(/against 3 anchors: all chains intact/);
    expect(intact.code).toBe(0);
    const fromCli = s3.requests.slice(before);
    expect(fromCli.filter((r) => r.method === 'GET' && r.key !== undefined).map((r) => r.key)).toEqual([
      'anchors/anchor-0000000001.json',
      'anchors/anchor-0000000002.json',
      'anchors/anchor-0000000003.json',
    ]);

    // The tamper suite's cut tail: the last event deleted and the head set back to the genuine link before
    // it. The chains alone cannot see it; the anchors in the bucket do.
    const events = (
      await stack.doc.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :events)',
          ExpressionAttributeValues: { ':pk': keys.conversation(driver.id).pk, ':events': keys.eventPrefix },
          ConsistentRead: true,
        }),
      )
    ).Items!.sort((a, b) => Number(a.seq) - Number(b.seq));
    const [kept, last] = events.slice(-2) as [Record<string, unknown>, Record<string, unknown>];
    expect(last.seq).toBe(5);
    await stack.doc.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { pk: last.pk, sk: last.sk } }),
    );
    await stack.doc.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...conversation, version: 4, chain: { seq: 4, hash: kept.hash } },
      }),
    );

    const chainsOnly = await audit('--chains-only');
    expect(chainsOnly.code, chainsOnly.output).toBe(0);
    const tampered = await withAnchors();
    expect(tampered.code, tampered.output).toBe(1);
    expect(tampered.output).toContain(
      `anchor conversation ${driver.id}: removed at seq 0: conversation ${driver.id} was anchored with 5 events and now records 4: its last events were cut.`,
    );
  });
});

/** An aws-chunked PUT as the SDK frames a streamed body, with the trailer checksum given. */
function rawChunkedPut(
  key: string,
  body: string,
  checksum: string,
): Promise<{ status: number; body: string }> {
  const bytes = Buffer.from(body);
  const framed = `${bytes.length.toString(16)}\r\n${body}\r\n0\r\nx-amz-checksum-sha256:${checksum}\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const req = request(
      `${s3.endpoint}/${BUCKET}/${key}?x-id=PutObject`,
      {
        method: 'PUT',
        headers: {
          authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260101/us-west-2/s3/aws4_request, x',
          'content-encoding': 'aws-chunked',
          'content-length': Buffer.byteLength(framed),
          'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          'x-amz-decoded-content-length': bytes.length,
          'x-amz-trailer': 'x-amz-checksum-sha256',
          'x-amz-sdk-checksum-algorithm': 'SHA256',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(framed);
  });
}
