import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { bookId } from './lib/book';
import { ClientError, Event, json, respond, Result } from './lib/http';
import { documents, TABLE_NAME } from './lib/table';

/** GET /books/{id}: the book, or 404. */
export const handler = (event: Event): Promise<Result> => respond(event, async () => {
  const id = bookId(event.pathParameters);
  // A strongly consistent read: a client that has just created or updated the
  // book reads what it wrote, not an eventually consistent copy (worth the
  // double read cost for a single-item read).
  const { Item } = await documents.send(new GetCommand({ TableName: TABLE_NAME, Key: { id }, ConsistentRead: true }));
  if (!Item) throw new ClientError(404, `book ${id}: not found`);
  return json(200, Item);
});
