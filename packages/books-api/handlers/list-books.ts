import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const DEFAULT_LIMIT = 20;

/** GET /books: one page of books, at most `limit` (1..100). */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const raw = event.queryStringParameters?.limit;
  const limit = raw === undefined ? DEFAULT_LIMIT : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return json(400, { message: 'limit must be an integer from 1 to 100' });
  }
  const page = await client.send(new ScanCommand({ TableName: process.env.TABLE_NAME, Limit: limit }));
  return json(200, { items: page.Items ?? [] });
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
