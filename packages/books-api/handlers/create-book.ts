import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Book, newBook } from './lib/book';
import { Event, json, jsonBody, respond, Result } from './lib/http';
import { documents, TABLE_NAME } from './lib/table';

/** POST /books: validates the body, stores the book with a new id, answers 201 and its Location. */
export const handler = (event: Event): Promise<Result> => respond(event, async () => {
  const fields = newBook(jsonBody(event));
  const now = new Date().toISOString();
  const book: Book = { id: randomUUID(), ...fields, version: 1, createdAt: now, updatedAt: now };
  await documents.send(new PutCommand({ TableName: TABLE_NAME, Item: book, ConditionExpression: 'attribute_not_exists(id)' }));
  return json(201, book, { location: `/books/${book.id}` });
});
