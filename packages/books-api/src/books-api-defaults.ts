import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';

export const LOG_RETENTION = logs.RetentionDays.ONE_MONTH;

/** The DynamoDB actions each route's function calls: its grant, and nothing more. */
export const ROUTE_ACTIONS = {
  list: ['dynamodb:Scan'],
  create: ['dynamodb:PutItem'],
  read: ['dynamodb:GetItem'],
  update: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
  delete: ['dynamodb:DeleteItem'],
} as const;

/**
 * Whether each route's function writes: with a customer-managed key, writers
 * also need kms:Encrypt, GenerateDataKey* and ReEncrypt*; readers only kms:Decrypt.
 */
export const ROUTE_WRITES = { list: false, create: true, read: false, update: true, delete: true } as const;

/** The DynamoDB operations the handlers perform, whose system errors the table alarm sums. */
export const TABLE_OPERATIONS = [
  dynamodb.Operation.SCAN, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.GET_ITEM, dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM,
];
