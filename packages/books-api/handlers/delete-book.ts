import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { bookId } from './lib/book';
import { ClientError, Event, json, respond, Result } from './lib/http';
import { documents, TABLE_NAME } from './lib/table';

/** DELETE /books/{id}: 204, or 404 when there is no such book. */
export const handler = (event: Event): Promise<Result> => respond(event, async () => {
  const id = bookId(event.pathParameters);
  try {
    await documents.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { id }, ConditionExpression: 'attribute_exists(id)' }));
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') throw new ClientError(404, `book ${id}: not found`);
    throw error;
  }
  return json(204);
});
