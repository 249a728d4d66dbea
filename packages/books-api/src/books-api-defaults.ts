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
