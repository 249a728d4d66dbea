import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export const TABLE_NAME = process.env.TABLE_NAME ?? '';
export const ROOM_INDEX = process.env.ROOM_INDEX ?? 'byRoom';
// Connections read per Query page (DynamoDB returns at most 1 MB a page either way).
const PAGE_SIZE = Number(process.env.PAGE_SIZE ?? '100');

export const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** 1 to 64 of letters, digits, `_` and `-`. */
export const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** The connection ids of a room, a Query page at a time on the room index (never a Scan). */
export async function* roomMembers(room: string): AsyncGenerator<string[]> {
  let start: Record<string, unknown> | undefined;
  do {
    const input: QueryCommandInput = {
      TableName: TABLE_NAME,
      IndexName: ROOM_INDEX,
      KeyConditionExpression: '#room = :room',
      ExpressionAttributeNames: { '#room': 'room' },
      ExpressionAttributeValues: { ':room': room },
      Limit: PAGE_SIZE,
      ExclusiveStartKey: start,
    };
    const page = await documents.send(new QueryCommand(input));
    yield (page.Items ?? []).map((item) => item.connectionId as string);
    start = page.LastEvaluatedKey;
  } while (start);
}

/** How many connections are in a room (counted page by page). */
export async function countMembers(room: string): Promise<number> {
  let count = 0;
  for await (const ids of roomMembers(room)) count += ids.length;
  return count;
}
