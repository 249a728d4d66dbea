import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ClientError, Event, json, respond, Result } from './lib/http';
import { decodeToken, documents, encodeToken, TABLE_NAME } from './lib/table';

const DEFAULT_LIMIT = 20;

/** GET /books?limit=1..100&nextToken=...: one page of books and the token of the next. */
export const handler = (event: Event): Promise<Result> => respond(event, async () => {
  const query = event.queryStringParameters ?? {};
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new ClientError(400, 'limit: must be an integer from 1 to 100');
  const page = await documents.send(new ScanCommand({ TableName: TABLE_NAME, Limit: limit, ExclusiveStartKey: decodeToken(query.nextToken) }));
  return json(200, { items: page.Items ?? [], nextToken: encodeToken(page.LastEvaluatedKey) });
});
