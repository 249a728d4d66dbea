import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningStack, serveStack } from '@apigw-blueprints/local';
import { DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';

// The books app as `cdk synth` writes it, served by the local runner: the real
// template, routes and shipped handler bundles, with dynalite as the table.
let running: RunningStack;
let base: string;
let db: DynamoDBClient;
let tableName: string;

beforeAll(async () => {
  running = await serveStack({ source: join(__dirname, '..'), synthOutdir: mkdtempSync(join(tmpdir(), 'books-app-local-')), port: 0, log: () => undefined });
  base = running.apis[0].stageUrls.$default;
  tableName = running.tables[0].table.name;
  db = new DynamoDBClient({ endpoint: running.dynamoDbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
}, 120_000);
afterAll(async () => {
  db?.destroy();
  await running?.stop();
});

// A well-formed id no book has.
const MISSING = '00000000-0000-4000-8000-000000000000';

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  json(): any;
}

/** One request through the served API; a string body goes as is, anything else as JSON. */
async function json(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
}

test('the app is served as deployed: every route of the template, nothing left unemulated or unresolved', () => {
  expect(running.apis.map((a) => a.routeKeys.sort())).toEqual([['DELETE /books/{id}', 'GET /books', 'GET /books/{id}', 'POST /books', 'PUT /books/{id}']]);
  expect(running.notEmulated).toEqual([]);
  expect(running.unresolved).toEqual([]);
});

test('create (201 + Location), read (200), replace (200), delete (204), then 404', async () => {
  const created = await json('POST', '/books', { title: 'Dune', author: 'Frank Herbert', year: 1965 });
  expect(created.status).toBe(201);
  const book = created.json();
  expect(created.headers.get('location')).toBe(`/books/${book.id}`);
  expect(book).toMatchObject({ title: 'Dune', author: 'Frank Herbert', year: 1965, version: 1 });

  const read = await json('GET', `/books/${book.id}`);
  expect([read.status, read.json()]).toEqual([200, book]);

  const replaced = await json('PUT', `/books/${book.id}`, { title: 'Dune', author: 'Frank Herbert', year: 1966, version: 1 });
  expect(replaced.status).toBe(200);
  expect(replaced.json()).toMatchObject({ year: 1966, version: 2 });

  const deleted = await json('DELETE', `/books/${book.id}`);
  expect([deleted.status, deleted.text]).toEqual([204, '']);
  const gone = await json('GET', `/books/${book.id}`);
  expect([gone.status, gone.json()]).toEqual([404, { message: `book ${book.id}: not found` }]);
  const { Item } = await db.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: book.id } } }));
  expect(Item).toBeUndefined();
});

test('client mistakes are 400s and absent books 404s, with a JSON message; a route that does not exist is API Gateway\'s 404', async () => {
  const cases: Array<[string, string, unknown, string]> = [
    ['POST', '/books', '{not json', 'body: not valid JSON'],
    ['POST', '/books', { author: 'x' }, 'title: required'],
    ['GET', '/books/not-a-uuid', undefined, 'id: must be a UUID'],
    ['GET', '/books?limit=0', undefined, 'limit: must be an integer from 1 to 100'],
    ['GET', '/books?nextToken=garbage', undefined, 'nextToken: not a token this API returned'],
    ['PUT', `/books/${MISSING}`, { title: 'x', author: 'y' }, 'version: required (the version you read)'],
  ];
  for (const [method, path, body, message] of cases) {
    const reply = await json(method, path, body);
    expect([method, path, reply.status, reply.json()]).toEqual([method, path, 400, { message }]);
  }
  for (const [method, body] of [['PUT', { title: 'x', author: 'y', version: 1 }], ['DELETE', undefined]] as const) {
    const reply = await json(method, `/books/${MISSING}`, body);
    expect([method, reply.status, reply.json()]).toEqual([method, 404, { message: `book ${MISSING}: not found` }]);
  }
  const unknown = await json('PATCH', '/books');
  expect([unknown.status, unknown.json()]).toEqual([404, { message: 'Not Found' }]);
});

test('413: a book over the handler\'s 64 KiB limit, and a payload over API Gateway\'s 10 MB', async () => {
  const big = await json('POST', '/books', { title: 'x'.repeat(70 * 1024), author: 'a' });
  expect(big.status).toBe(413);
  expect(big.json().message).toMatch(/over the 65536-byte limit/);
  const huge = await json('POST', '/books', 'x'.repeat(10 * 1024 * 1024 + 1));
  expect([huge.status, huge.json()]).toEqual([413, { message: 'Request Entity Too Large' }]);
});

test('two concurrent PUTs of one version: exactly one 200 and one 409; the table holds the winner', async () => {
  const book = (await json('POST', '/books', { title: 'Emma', author: 'Jane Austen' })).json();
  const replies = await Promise.all(['first', 'second'].map((title) => json('PUT', `/books/${book.id}`, { title, author: 'Jane Austen', version: 1 })));
  const statuses = replies.map((r) => r.status).sort();
  expect(statuses).toEqual([200, 409]);
  const winner = replies.find((r) => r.status === 200)!.json();
  const loser = replies.find((r) => r.status === 409)!.json();
  expect(loser.message).toBe('version: 1 is stale; the book is at version 2. Read it again and retry');
  const { Item } = await db.send(new GetItemCommand({ TableName: tableName, Key: { id: { S: book.id } }, ConsistentRead: true }));
  expect(Item).toMatchObject({ title: { S: winner.title }, version: { N: '2' } });
});

test('pagination: every book exactly once across all pages, each page within the limit', async () => {
  const { Items = [] } = await db.send(new ScanCommand({ TableName: tableName }));
  const created = await Promise.all(Array.from({ length: 23 }, (_, i) => json('POST', '/books', { title: `Book ${i}`, author: 'Anon' }).then((r) => r.json())));
  const expected = [...Items.map((i) => i.id.S), ...created.map((b) => b.id)].sort();
  const seen: string[] = [];
  let token: string | undefined;
  let pages = 0;
  do {
    const reply = await json('GET', `/books?limit=10${token ? `&nextToken=${encodeURIComponent(token)}` : ''}`);
    expect(reply.status).toBe(200);
    const page = reply.json();
    expect(page.items.length).toBeLessThanOrEqual(10);
    seen.push(...page.items.map((b: { id: string }) => b.id));
    token = page.nextToken;
    pages++;
  } while (token && pages < 20);
  expect(seen.sort()).toEqual(expected);
  expect(pages).toBeGreaterThanOrEqual(3);
});
