import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isBookId } from './book';
import { ClientError } from './http';

/** The books table named by the TABLE_NAME environment variable. */
export const TABLE_NAME = process.env.TABLE_NAME ?? '';

/** One client per container, reused across invocations. */
export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});

/** An opaque page token for a LastEvaluatedKey of this table (`{ id }`). */
export function encodeToken(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key), 'utf8').toString('base64url') : undefined;
}

/**
 * The key a page token stands for; 400 unless it decodes to exactly the key
 * the API issues, `{ id: <a book id> }`. Anything else would reach Scan as
 * `ExclusiveStartKey`: an empty id, or one over DynamoDB's 2048-byte key
 * limit, makes DynamoDB answer a ValidationException, which would be a 500.
 */
export function decodeToken(token: string | undefined): Record<string, string> | undefined {
  if (token === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (key && typeof key === 'object' && !Array.isArray(key) && Object.keys(key).length === 1 && isBookId(key.id)) {
      return { id: key.id };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new ClientError(400, 'nextToken: not a token this API returned');
}
