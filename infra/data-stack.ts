import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { BackupPlan, BackupPlanRule, BackupResource, BackupVault } from 'aws-cdk-lib/aws-backup';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { Role as StaffRole } from '../functions/domain/principal.ts';
import { tableKeys } from '../functions/storage/table.ts';
import { AnchorBucket } from './anchor-bucket.ts';

/** One Cognito group per role; a `Record` so a new role in principal.ts cannot ship without its group. */
const roleDescriptions: Record<StaffRole, string> = {
  caseworker: 'Screens children and youth; sees the conversations they started and the tasks those opened.',
  supervisor: "Sees and settles everything of their unit (custom:unit); receives the unit's escalations.",
  shelter_staff: "Partner shelter intake desk: screens and shares the organisation's screenings and tasks.",
  interviewer: 'Runaway-return interviews and screenings; sees the conversations they started.',
  administrator: 'No case content: records requests (export, lawful erasure) and aggregate reports.',
};

/**
 * Issue 9, the stateful stack: what must outlive any redeployment. The table and its keys, and the users.
 * Everything here is retained when the stack is deleted, and termination protection is on; the service
 * stack can be torn down and rebuilt against it at will.
 */
export class DataStack extends Stack {
  readonly table: TableV2;
  readonly tableKey: Key;
  readonly fieldKey: Key;
  readonly macKey: Key;
  readonly anchors: AnchorBucket;
  readonly userPool: UserPool;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, { terminationProtection: true, ...props });

    this.tableKey = new Key(this, 'TableKey', {
      description: 'Encrypts screening records at rest (table, backups)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: tableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(this.tableKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: tableKeys.timeToLive,
      dynamoStream: StreamViewType.NEW_IMAGE,
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: tableKeys.gsi1.name,
          partitionKey: { name: tableKeys.gsi1.partitionKey, type: AttributeType.STRING },
          sortKey: { name: tableKeys.gsi1.sortKey, type: AttributeType.STRING },
        },
        {
          indexName: tableKeys.gsi2.name,
          partitionKey: { name: tableKeys.gsi2.partitionKey, type: AttributeType.STRING },
          sortKey: { name: tableKeys.gsi2.sortKey, type: AttributeType.STRING },
        },
      ],
    });

    // Point-in-time recovery covers 35 days; monthly backups kept a year cover what is found out later.
    const vault = new BackupVault(this, 'BackupVault', {
      encryptionKey: this.tableKey,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new BackupPlan(this, 'BackupPlan', { backupVault: vault });
    plan.addRule(
      new BackupPlanRule({
        ruleName: 'Monthly',
        scheduleExpression: Schedule.cron({ day: '1', hour: '5', minute: '0' }),
        deleteAfter: Duration.days(365),
      }),
    );
    plan.addSelection('Table', { resources: [BackupResource.fromDynamoDbTable(this.table)] });

    // Wraps the per-conversation data keys of answers that identify a child (envelope encryption).
    this.fieldKey = new Key(this, 'FieldKey', {
      description: 'Wraps data keys for field-level encryption of identifying answers',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Issue 16: keyed hashes (case references, anchored chain heads). HMAC key material never leaves KMS, so
    // someone who can write the table cannot recompute a MAC to cover an edit.
    this.macKey = new Key(this, 'MacKey', {
      description: 'HMAC key for keyed hashes of case references and audit-chain anchors',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.anchors = new AnchorBucket(this, 'ChainAnchors');

    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: {
        org: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
        // Mutable because staff move between units; only the admin API may set it (the client cannot write it).
        unit: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      // Records of exploited children: a second factor for everyone, by authenticator app (never SMS).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of StaffRole.options) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: roleDescriptions[role] });
    }
  }
}
