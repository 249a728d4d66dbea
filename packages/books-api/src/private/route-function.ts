import * as path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_ARCHITECTURE, HANDLER_MEMORY_MB, HANDLER_RUNTIME, HANDLER_TIMEOUT } from '../books-api-defaults';

// Handlers are bundled at build time into assets/<handler>/index.js, shipped in
// the package; the same relative path works from src/ (tests) and lib/.
const ASSETS = path.join(__dirname, '..', '..', 'assets');

export interface RouteFunctionOptions {
  readonly handler: string;
  readonly table: dynamodb.ITable;
  readonly actions: readonly string[];
  readonly logRetention: logs.RetentionDays;
}

/**
 * One route's function: its own role (logs to its own log group, X-Ray, and
 * exactly `actions` on the table), so no function can do what another route does.
 */
export function routeFunction(scope: Construct, id: string, options: RouteFunctionOptions): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: options.logRetention });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `books-api ${options.handler}: ${options.actions.join(', ')} on the books table`,
  });
  // Instead of AWSLambdaBasicExecutionRole (every log group of the account): this one only.
  logGroup.grantWrite(role);
  const fn = new lambda.Function(scope, id, {
    runtime: HANDLER_RUNTIME,
    architecture: HANDLER_ARCHITECTURE,
    memorySize: HANDLER_MEMORY_MB,
    timeout: HANDLER_TIMEOUT,
    handler: 'index.handler',
    code: lambda.Code.fromAsset(path.join(ASSETS, options.handler)),
    environment: { TABLE_NAME: options.table.tableName, NODE_OPTIONS: '--enable-source-maps' },
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    role,
  });
  options.table.grant(fn, ...options.actions);
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy) {
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) use Resource *: X-Ray has no resource-level permissions for them',
    });
  }
  return fn;
}
