import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { bookId, replacement } from './lib/book';
import { ClientError, Event, json, jsonBody, respond, Result } from './lib/http';
import { documents, TABLE_NAME } from './lib/table';

/**
 * PUT /books/{id}: replaces the book's fields if the body's `version` is still
 * the stored one (optimistic concurrency): 200 with the new version, 409 when
 * someone else wrote first (nothing is overwritten), 404 when there is no such
 * book (only POST creates).
 */
export const handler = (event: Event): Promise<Result> => respond(event, async () => {
  const id = bookId(event.pathParameters);
  const { version, ...fields } = replacement(jsonBody(event));
  // Every name through a placeholder: `year` (and more) are DynamoDB reserved words.
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = { ':read': version };
  const set: string[] = [];
  const remove: string[] = [];
  const assign = (name: string, value: unknown) => {
    names[`#${name}`] = name;
    if (value === undefined) {
      remove.push(`#${name}`);
    } else {
      set.push(`#${name} = :${name}`);
      values[`:${name}`] = value;
    }
  };
  assign('title', fields.title);
  assign('author', fields.author);
  assign('year', fields.year);
  assign('isbn', fields.isbn);
  assign('version', version + 1);
  assign('updatedAt', new Date().toISOString());
  try {
    const { Attributes } = await documents.send(new UpdateCommand({
      TableName: TABLE_NAME,
      Key: { id },
      UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(id) AND #version = :read',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    }));
    return json(200, Attributes);
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    // Absent or stale? A consistent read tells (dynalite ignores ReturnValuesOnConditionCheckFailure):
    // an eventually consistent one could miss the write that made this one fail, and answer 404 or a stale version.
    const { Item } = await documents.send(new GetCommand({ TableName: TABLE_NAME, Key: { id }, ConsistentRead: true }));
    if (!Item) throw new ClientError(404, `book ${id}: not found`);
    throw new ClientError(409, `version: ${version} is stale; the book is at version ${Item.version}. Read it again and retry`);
  }
});
