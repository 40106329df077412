import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectLockRetention,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** How long an anchor cannot be deleted or overwritten by anyone: the records' own retention, seven years. */
export const ANCHOR_RETENTION_DAYS = 7 * 365;

/**
 * Issue 16: where the audit chains' heads are anchored, outside the table. Object Lock in compliance mode:
 * no principal, the account root included, can delete or overwrite an anchor before its retention ends,
 * so an insider with every table permission still cannot make a rewritten chain agree with its anchors.
 * Only the anchor function may put (and it may not delete); auditors read. Holds hashes and MACs only.
 */
export class AnchorBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const logs = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      // S3 server access logging writes with the log-delivery ACL.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(this, 'Anchors', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      objectLockEnabled: true,
      objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(ANCHOR_RETENTION_DAYS)),
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const bucket of [logs, this.bucket]) {
      Validations.of(bucket).acknowledge(
        {
          id: 'HIPAA.Security::HIPAA.Security-S3DefaultEncryptionKMS',
          reason:
            'Holds chain heads (hashes), keyed MACs and access logs, never case data; S3-managed encryption keeps the auditor free of a KMS grant.',
        },
        {
          id: 'HIPAA.Security::HIPAA.Security-S3BucketReplicationEnabled',
          reason:
            'Anchors are locked in compliance mode for seven years in a durable regional bucket; a replica would be a second copy to lock, not a stronger one.',
        },
      );
    }
  }
}
