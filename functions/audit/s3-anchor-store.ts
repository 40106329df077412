import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AnchorStore } from './anchors.ts';

const PREFIX = 'anchors/';

/**
 * Anchors in an S3 bucket with Object Lock in compliance mode (infra/anchor-bucket.ts): once written, no
 * one, the account's root included, can overwrite or delete an anchor before its retention ends. The write
 * is conditional (`If-None-Match: *`), so a second writer cannot replace an anchor even where versioning
 * would keep the first.
 */
export function s3AnchorStore(client: S3Client, bucket: string): AnchorStore {
  return {
    async list() {
      const names: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: PREFIX, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key) names.push(object.Key.slice(PREFIX.length));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return names.sort();
    },
    async get(name) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `${PREFIX}${name}` }));
      return (await object.Body?.transformToString('utf-8')) ?? '';
    },
    async putOnce(name, body) {
      await client.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${PREFIX}${name}`,
          Body: body,
          ContentType: 'application/json',
          IfNoneMatch: '*',
          // The bucket's default retention applies; Object Lock needs an integrity checksum on the request.
          ChecksumAlgorithm: 'SHA256',
        }),
      );
    },
  };
}
