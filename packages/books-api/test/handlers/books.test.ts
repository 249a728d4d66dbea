import { createTable, LocalDynamoDb, startDynamoDb, startRecordingProxy } from '@apigw-blueprints/local';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { bodyOf, event, Handler, loadHandler, TABLE, throttlingEndpoint } from './harness';

let db: LocalDynamoDb;
let list: Handler;
let create: Handler;
let get: Handler;
let update: Handler;
let remove: Handler;

beforeAll(async () => {
  db = await startDynamoDb();
  await createTable(db.client, TABLE, 'id');
  list = loadHandler('list-books', db.endpoint);
  create = loadHandler('create-book', db.endpoint);
  get = loadHandler('get-book', db.endpoint);
  update = loadHandler('update-book', db.endpoint);
  remove = loadHandler('delete-book', db.endpoint);
});
afterAll(() => db.stop());

const DUNE = { title: 'Dune', author: 'Frank Herbert', year: 1965, isbn: '978-0-441-17271-9' };

async function stored(id: string) {
  return (await db.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true }))).Item;
}

describe('POST /books', () => {
  test('201 with a Location header and the book; the table holds it', async () => {
    const response = await create(event('POST /books', { body: DUNE }));
    expect(response.statusCode).toBe(201);
    const book = bodyOf(response);
    expect(book).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      title: 'Dune',
      author: 'Frank Herbert',
      year: 1965,
      isbn: '9780441172719',
      version: 1,
      createdAt: expect.any(String),
      updatedAt: book.createdAt,
    });
    expect(response.headers.location).toBe(`/books/${book.id}`);
    expect(await stored(book.id)).toMatchObject({ title: { S: 'Dune' }, version: { N: '1' } });
  });

  test('a base64-encoded body is accepted', async () => {
    expect((await create(event('POST /books', { body: { title: 'Emma', author: 'Jane Austen' }, base64: true }))).statusCode).toBe(201);
  });

  test.each([
    ['malformed JSON', { rawBody: '{"title": "Dune",' }, 400, 'body: not valid JSON'],
    ['no body', {}, 400, 'body: a JSON object is required'],
    ['an array', { body: [DUNE] }, 400, 'body: must be a JSON object'],
    ['a missing title', { body: { author: 'A' } }, 400, 'title: required'],
    ['an empty author', { body: { title: 'T', author: '   ' } }, 400, 'author: must not be empty'],
    ['a title of 201 characters', { body: { title: 'x'.repeat(201), author: 'A' } }, 400, 'title: at most 200 characters'],
    ['a numeric author', { body: { title: 'T', author: 42 } }, 400, 'author: must be a string'],
    ['a fractional year', { body: { title: 'T', author: 'A', year: 1965.5 } }, 400, 'year: must be an integer'],
    ['a year as a string', { body: { title: 'T', author: 'A', year: '1965' } }, 400, 'year: must be an integer'],
    ['an ISBN with a bad check digit', { body: { title: 'T', author: 'A', isbn: '978-0-441-17271-8' } }, 400, 'isbn: not a valid ISBN-10 or ISBN-13'],
    ['an unknown field', { body: { ...DUNE, price: 10 } }, 400, 'price: unknown field'],
    ['a client-chosen id', { body: { ...DUNE, id: 'mine' } }, 400, 'id: unknown field'],
    ['a body over 64 KiB', { rawBody: JSON.stringify({ title: 'T', author: 'A', pad: 'x'.repeat(70_000) }) }, 413, 'over the 65536-byte limit'],
  ])('%s: %d with a message naming the field', async (_, options, status, message) => {
    const response = await create(event('POST /books', options as any));
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response).message).toContain(message);
  });

  test('a valid ISBN-10 with an X check digit is accepted', async () => {
    expect((await create(event('POST /books', { body: { title: 'T', author: 'A', isbn: '0-8044-2957-X' } }))).statusCode).toBe(201);
  });
});

describe('GET /books/{id}', () => {
  test('200 with the book created before (create-then-read)', async () => {
    const created = bodyOf(await create(event('POST /books', { body: DUNE })));
    const response = await get(event('GET /books/{id}', { id: created.id }));
    expect(response.statusCode).toBe(200);
    expect(bodyOf(response)).toEqual(created);
  });

  test('404 for an unknown id, 400 for an id that is not a UUID', async () => {
    const missing = await get(event('GET /books/{id}', { id: '00000000-0000-4000-8000-000000000000' }));
    expect([missing.statusCode, bodyOf(missing).message]).toEqual([404, 'book 00000000-0000-4000-8000-000000000000: not found']);
    const bad = await get(event('GET /books/{id}', { id: 'not-a-uuid' }));
    expect([bad.statusCode, bodyOf(bad).message]).toEqual([400, 'id: must be a UUID']);
  });
});

describe('PUT /books/{id}', () => {
  test('replaces the fields, bumps the version, keeps createdAt, drops omitted optional fields', async () => {
    const created = bodyOf(await create(event('POST /books', { body: DUNE })));
    const response = await update(event('PUT /books/{id}', { id: created.id, body: { title: 'Dune Messiah', author: 'Frank Herbert', version: 1 } }));
    expect(response.statusCode).toBe(200);
    const book = bodyOf(response);
    expect(book).toMatchObject({ id: created.id, title: 'Dune Messiah', version: 2, createdAt: created.createdAt });
    expect(book.year).toBeUndefined();
    expect(book.isbn).toBeUndefined();
    expect(await stored(created.id)).toMatchObject({ title: { S: 'Dune Messiah' }, version: { N: '2' } });
  });

  test('two writers read version 1: one wins, the other gets 409, the table holds the winner', async () => {
    const created = bodyOf(await create(event('POST /books', { body: DUNE })));
    const [a, b] = await Promise.all([
      update(event('PUT /books/{id}', { id: created.id, body: { title: 'Writer A', author: 'A', version: 1 } })),
      update(event('PUT /books/{id}', { id: created.id, body: { title: 'Writer B', author: 'B', version: 1 } })),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const [winner, loser] = a.statusCode === 200 ? [a, b] : [b, a];
    expect(bodyOf(loser).message).toBe('version: 1 is stale; the book is at version 2. Read it again and retry');
    const item = await stored(created.id);
    expect(item?.title).toEqual({ S: bodyOf(winner).title });
    expect(item?.version).toEqual({ N: '2' });
  });

  test('a stale version is 409 and nothing is overwritten', async () => {
    const created = bodyOf(await create(event('POST /books', { body: DUNE })));
    await update(event('PUT /books/{id}', { id: created.id, body: { ...DUNE, version: 1 } }));
    const response = await update(event('PUT /books/{id}', { id: created.id, body: { title: 'Late', author: 'L', version: 1 } }));
    expect(response.statusCode).toBe(409);
    expect(await stored(created.id)).toMatchObject({ title: { S: 'Dune' }, version: { N: '2' } });
  });

  test('404 for an absent id: only POST creates', async () => {
    const id = '11111111-1111-4111-8111-111111111111';
    const response = await update(event('PUT /books/{id}', { id, body: { ...DUNE, version: 1 } }));
    expect(response.statusCode).toBe(404);
    expect(await stored(id)).toBeUndefined();
  });

  test.each([
    [{ ...DUNE }, 'version: required (the version you read)'],
    [{ ...DUNE, version: 0 }, 'version: must be a positive integer'],
    [{ ...DUNE, version: '1' }, 'version: must be a positive integer'],
    [{ ...DUNE, version: 1, createdAt: 'x' }, 'createdAt: unknown field'],
  ])('400 for %j', async (body, message) => {
    const created = bodyOf(await create(event('POST /books', { body: DUNE })));
    const response = await update(event('PUT /books/{id}', { id: created.id, body }));
    expect([response.statusCode, bodyOf(response).message]).toEqual([400, message]);
  });
});

describe('DELETE /books/{id}', () => {
  test('204 and the item is gone; then 404', async () => {
    const created = bodyOf(await create(event('POST /books', { body: DUNE })));
    const first = await remove(event('DELETE /books/{id}', { id: created.id }));
    expect([first.statusCode, first.body]).toEqual([204, undefined]);
    expect(await stored(created.id)).toBeUndefined();
    expect((await remove(event('DELETE /books/{id}', { id: created.id }))).statusCode).toBe(404);
  });

  test('400 for an id that is not a UUID', async () => {
    expect((await remove(event('DELETE /books/{id}', { id: '../etc' }))).statusCode).toBe(400);
  });
});

describe('GET /books', () => {
  test('pages through every book exactly once', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 23; i++) ids.add(bodyOf(await create(event('POST /books', { body: { title: `Book ${i}`, author: 'Paged' } }))).id);
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const response = await list(event('GET /books', { query: { limit: '7', ...(nextToken ? { nextToken } : {}) } }));
      expect(response.statusCode).toBe(200);
      const page = bodyOf(response);
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((b: any) => b.id));
      nextToken = page.nextToken;
      pages++;
    } while (nextToken);
    expect(pages).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ids) expect(seen).toContain(id);
  });

  test('20 books by default', async () => {
    const page = bodyOf(await list(event('GET /books')));
    expect(page.items).toHaveLength(20);
  });

  test.each([
    [{ limit: '0' }, 'limit: must be an integer from 1 to 100'],
    [{ limit: '101' }, 'limit: must be an integer from 1 to 100'],
    [{ limit: 'ten' }, 'limit: must be an integer from 1 to 100'],
    [{ nextToken: 'garbage!' }, 'nextToken: not a token this API returned'],
    [{ nextToken: Buffer.from(JSON.stringify({ pk: 'x' })).toString('base64url') }, 'nextToken: not a token this API returned'],
    [{ nextToken: Buffer.from(JSON.stringify({ id: 1 })).toString('base64url') }, 'nextToken: not a token this API returned'],
    // Keys DynamoDB itself would reject (ValidationException, a 500 if they reached Scan).
    [{ nextToken: Buffer.from(JSON.stringify({ id: '' })).toString('base64url') }, 'nextToken: not a token this API returned'],
    [{ nextToken: Buffer.from(JSON.stringify({ id: 'x'.repeat(2049) })).toString('base64url') }, 'nextToken: not a token this API returned'],
    // Well-formed keys of a shape the API never issues.
    [{ nextToken: Buffer.from(JSON.stringify({ id: 'not-a-uuid' })).toString('base64url') }, 'nextToken: not a token this API returned'],
    [{ nextToken: Buffer.from(JSON.stringify({ id: 'A0000000-0000-4000-8000-000000000000' })).toString('base64url') }, 'nextToken: not a token this API returned'],
  ])('400 for %j', async (query, message) => {
    const response = await list(event('GET /books', { query }));
    expect([response.statusCode, bodyOf(response).message]).toEqual([400, message]);
  });
});

describe('DynamoDB throttling', () => {
  test('503 with Retry-After, after the SDK has retried, and no 5xx body leaking details', async () => {
    const throttling = await throttlingEndpoint();
    try {
      const throttled = loadHandler('get-book', throttling.endpoint);
      const response = await throttled(event('GET /books/{id}', { id: '22222222-2222-4222-8222-222222222222' }));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(bodyOf(response)).toEqual({ message: 'the books table is busy; retry shortly' });
      expect(throttling.requests()).toBeGreaterThan(1);
    } finally {
      await throttling.close();
    }
  });
});

describe('consistent reads', () => {
  test('GET /books/{id} and the read after a failed conditional update ask DynamoDB for a consistent read', async () => {
    const proxy = await startRecordingProxy(db.endpoint);
    try {
      const book = bodyOf(await create(event('POST /books', { body: DUNE })));
      const getThroughProxy = loadHandler('get-book', proxy.endpoint);
      const updateThroughProxy = loadHandler('update-book', proxy.endpoint);
      expect((await getThroughProxy(event('GET /books/{id}', { id: book.id }))).statusCode).toBe(200);
      const stale = await updateThroughProxy(event('PUT /books/{id}', { id: book.id, body: { ...DUNE, version: 7 } }));
      expect(stale.statusCode).toBe(409);
      const reads = proxy.calls.filter((c) => c.target === 'DynamoDB_20120810.GetItem');
      expect(reads).toHaveLength(2);
      expect(reads.map((r) => r.body.ConsistentRead)).toEqual([true, true]);
    } finally {
      await proxy.stop();
    }
  });
});
