import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, StringAttribute, UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { routes } from '../functions/api/routes.ts';
import { tableKeys } from '../functions/storage/table.ts';
import { ApiFunction } from './api-function.ts';

/** The table, the user pool whose tokens the API trusts, and one function per route. */
export class ScreeningStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const key = new Key(this, 'TableKey', {
      description: 'Encrypts screening records at rest',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const table = new TableV2(this, 'Table', {
      partitionKey: { name: tableKeys.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableKeys.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      encryption: TableEncryptionV2.customerManagedKey(key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: tableKeys.timeToLive,
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

    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: { org: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }) },
      passwordPolicy: { minLength: 14, requireSymbols: false },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const client = userPool.addClient('WebClient', {
      authFlows: { userSrp: true },
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      preventUserExistenceErrors: true,
    });
    // The ID token carries `custom:org`, which the handlers read as the caller's organisation.
    const authorizer = new HttpUserPoolAuthorizer('Authorizer', userPool, { userPoolClients: [client] });

    const api = new HttpApi(this, 'Api', {
      defaultAuthorizer: authorizer,
      corsPreflight: {
        allowOrigins: this.node.tryGetContext('allowedOrigins') ?? [],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST],
        allowHeaders: ['authorization', 'content-type'],
        maxAge: Duration.hours(1),
      },
    });

    for (const route of routes) {
      const fn = new ApiFunction(this, route.name, {
        entry: route.entry,
        table,
        tableAccess: route.tableAccess,
      });
      api.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${route.name}Integration`, fn.function),
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: client.userPoolClientId });
  }
}
