// The floor the local runner is measured against: a bare node:http server doing
// what the books handlers do against DynamoDB (POST: PutItem with the same
// condition; GET: a consistent GetItem), on the runner's own embedded dynalite
// (startDynamoDb), with no API Gateway and no Lambda in between.
// Prints `listening <port>` once it serves.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createTable, startDynamoDb } = require('@apigw-blueprints/local');
const { DynamoDBDocumentClient, GetCommand, PutCommand } = require('@aws-sdk/lib-dynamodb');

const TABLE = 'Books';
const dynamodb = await startDynamoDb();
await createTable(dynamodb.client, TABLE, 'id');
const documents = DynamoDBDocumentClient.from(dynamodb.client, { marshallOptions: { removeUndefinedValues: true } });

const send = (res, status, body, headers = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
};

const server = createServer(async (req, res) => {
  try {
    const id = req.url.match(/^\/books\/([0-9a-f-]{36})$/)?.[1];
    if (req.method === 'GET' && id) {
      const { Item } = await documents.send(new GetCommand({ TableName: TABLE, Key: { id }, ConsistentRead: true }));
      return Item ? send(res, 200, Item) : send(res, 404, { message: `book ${id}: not found` });
    }
    if (req.method === 'POST' && req.url === '/books') {
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      const { title, author, year, isbn } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (typeof title !== 'string' || typeof author !== 'string') return send(res, 400, { message: 'title, author: required strings' });
      const now = new Date().toISOString();
      const book = { id: randomUUID(), title, author, year, isbn, version: 1, createdAt: now, updatedAt: now };
      await documents.send(new PutCommand({ TableName: TABLE, Item: book, ConditionExpression: 'attribute_not_exists(id)' }));
      return send(res, 201, book, { location: `/books/${book.id}` });
    }
    return send(res, 404, { message: 'Not Found' });
  } catch (err) {
    return send(res, 500, { message: String(err) });
  }
});
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => dynamodb.stop().then(() => process.exit(0))));
