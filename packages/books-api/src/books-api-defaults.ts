import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

// The newest Node.js runtime aws-cdk-lib 2.257 offers; handlers are bundled for it (node24).
export const HANDLER_RUNTIME = lambda.Runtime.NODEJS_24_X;
export const HANDLER_ARCHITECTURE = lambda.Architecture.ARM_64;
export const HANDLER_MEMORY_MB = 256;
// Well under the HTTP API's 30 s integration timeout, so a slow call ends as a Lambda error, not a gateway timeout.
export const HANDLER_TIMEOUT = Duration.seconds(10);
export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** The DynamoDB actions each route's function calls: its grant, and nothing more. */
export const ROUTE_ACTIONS = {
  list: ['dynamodb:Scan'],
  create: ['dynamodb:PutItem'],
  get: ['dynamodb:GetItem'],
  update: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  delete: ['dynamodb:DeleteItem'],
} as const;
