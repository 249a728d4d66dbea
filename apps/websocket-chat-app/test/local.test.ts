import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningStack, serveStack } from '@apigw-blueprints/local';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import WebSocket from 'ws';

// The chat app as `cdk synth` writes it, served by the local runner: $connect
// and $disconnect straight to DynamoDB through their Velocity templates, the
// shipped join / sendmessage / default bundles in execution environments, posting
// back through @connections at their unmodified CALLBACK_URL.
let running: RunningStack;
let url: string;
let db: DynamoDBClient;
let table: string;
const clients: Client[] = [];

beforeAll(async () => {
  running = await serveStack({ source: join(__dirname, '..'), synthOutdir: mkdtempSync(join(tmpdir(), 'websocket-chat-app-local-')), port: 0, log: () => undefined });
  url = running.webSocketApis[0].stageUrls.prod;
  table = running.tables[0].table.name;
  db = new DynamoDBClient({ endpoint: running.dynamoDbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
}, 120_000);
afterEach(() => {
  for (const c of clients.splice(0)) c.socket.terminate();
});
afterAll(async () => {
  db?.destroy();
  await running?.stop();
});

/** A ws client that keeps what it receives and how it was closed. */
interface Client {
  readonly socket: WebSocket;
  readonly id: string;
  readonly frames: any[];
  closed?: number;
  next(): Promise<any>;
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

async function connect(): Promise<Client> {
  const before = new Set(running.webSocketApis[0].server.connectionIds());
  const socket = new WebSocket(url);
  const frames: any[] = [];
  let read = 0;
  let waiter: (() => void) | undefined;
  // Frames are read in order; one that arrived before next() was called is not lost.
  const next = () => new Promise<any>((resolve, reject) => {
    const take = () => {
      if (read < frames.length) {
        clearTimeout(timer);
        waiter = undefined;
        resolve(frames[read++]);
      }
    };
    const timer = setTimeout(() => reject(new Error('no frame within 5 s')), 5000);
    waiter = take;
    take();
  });
  const client: Client = { socket, id: '', frames, next };
  socket.on('message', (data) => {
    frames.push(JSON.parse(String(data)));
    waiter?.();
  });
  socket.on('close', (code) => {
    client.closed = code;
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const id = running.webSocketApis[0].server.connectionIds().find((c) => !before.has(c))!;
  (client as { id: string }).id = id;
  clients.push(client);
  return client;
}

async function item(connectionId: string) {
  const { Item } = await db.send(new GetItemCommand({ TableName: table, Key: { connectionId: { S: connectionId } }, ConsistentRead: true }));
  return Item;
}
const send = (c: Client, frame: unknown) => c.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));

test('$connect writes the connection item (connectedAt in ms, ttl in whole seconds 2 hours ahead, room general); $disconnect deletes it', async () => {
  const before = Date.now();
  const c = await connect();
  const stored = await item(c.id);
  expect(stored).toMatchObject({ connectionId: { S: c.id }, room: { S: 'general' } });
  const connectedAt = Number(stored!.connectedAt.N);
  expect(connectedAt).toBeGreaterThanOrEqual(before);
  expect(connectedAt).toBeLessThanOrEqual(Date.now());
  expect(stored!.ttl.N).toBe(String(Math.floor(connectedAt / 1000) + 2 * 3600));
  c.socket.close();
  await settle();
  expect(await item(c.id)).toBeUndefined();
});

test('three clients in two rooms: join moves a client, sendmessage reaches exactly the clients of the sender\'s room', async () => {
  const [a, b, c] = [await connect(), await connect(), await connect()];
  send(a, { action: 'join', room: 'books' });
  expect(await a.next()).toEqual({ type: 'joined', room: 'books', members: 1 });
  send(b, { action: 'join', room: 'books' });
  expect(await b.next()).toEqual({ type: 'joined', room: 'books', members: 2 });
  expect((await item(b.id))!.room).toEqual({ S: 'books' });
  expect((await item(c.id))!.room).toEqual({ S: 'general' });

  send(a, { action: 'sendmessage', data: 'hello books' });
  const atB = await b.next();
  expect(atB).toMatchObject({ type: 'message', from: a.id, room: 'books', data: 'hello books' });
  await settle();
  expect(a.frames.filter((f) => f.type === 'message')).toHaveLength(1);
  expect(a.frames.find((f) => f.type === 'sent')).toEqual({ type: 'sent', room: 'books', delivered: 2, gone: 0, failed: 0, cleanupFailed: 0 });
  expect(c.frames).toEqual([]);
});

test('a client killed without a close frame: $disconnect still runs and its item goes', async () => {
  const c = await connect();
  expect(await item(c.id)).toBeDefined();
  (c.socket as any)._socket.destroy();
  await settle(500);
  expect(await item(c.id)).toBeUndefined();
});

test('a connection dropped without $disconnect (test-only switch): the next broadcast meets 410, deletes exactly that item; connected clients stay', async () => {
  const [sender, stale, other] = [await connect(), await connect(), await connect()];
  expect(running.webSocketApis[0].server.dropWithoutDisconnect(stale.id)).toBe(true);
  await settle();
  expect(await item(stale.id)).toBeDefined();
  send(sender, { action: 'sendmessage', data: 'anyone?' });
  expect(await other.next()).toMatchObject({ type: 'message', data: 'anyone?' });
  await settle();
  expect(sender.frames.find((f) => f.type === 'sent')).toMatchObject({ gone: 1, failed: 0 });
  expect(await item(stale.id)).toBeUndefined();
  expect(await item(sender.id)).toBeDefined();
  expect(await item(other.id)).toBeDefined();
});

test('bad frames get the handlers\' error frame; the connection and other clients carry on', async () => {
  const [c, bystander] = [await connect(), await connect()];
  for (const frame of ['not json', { action: 'dance' }, { action: 'sendmessage' }, { action: 'sendmessage', data: 42 }, { action: 'join', room: 'no spaces!' }]) {
    send(c, frame);
    const answer = await c.next();
    expect(answer).toMatchObject({ type: 'error', message: expect.any(String) });
  }
  expect(c.frames.map((f) => f.message)).toEqual([
    expect.stringContaining('not valid JSON'),
    expect.stringContaining("unknown 'dance'"),
    'data: required, a string',
    'data: required, a string',
    expect.stringContaining('room:'),
  ]);
  expect(c.socket.readyState).toBe(WebSocket.OPEN);
  expect(bystander.frames).toEqual([]);
});

test.each([
  { what: 'a frame over 32 KB', code: 1009, act: (c: Client) => c.socket.send('x'.repeat(32 * 1024 + 1)) },
  {
    what: 'a message over 128 KB, in frames of 32 KB',
    code: 1009,
    act: (c: Client) => {
      for (let i = 0; i < 4; i++) c.socket.send('x'.repeat(32 * 1024), { fin: false });
      c.socket.send('x', { fin: true });
    },
  },
  { what: 'a binary frame', code: 1003, act: (c: Client) => c.socket.send(Buffer.from([1, 2, 3]), { binary: true }) },
])('$what closes that connection with $code, and only that one', async ({ act, code }) => {
  const [c, bystander] = [await connect(), await connect()];
  act(c);
  await settle(500);
  expect(c.closed).toBe(code);
  // The close ran $disconnect: the item is gone.
  expect(await item(c.id)).toBeUndefined();
  expect(bystander.socket.readyState).toBe(WebSocket.OPEN);
  send(bystander, { action: 'join', room: 'still-here' });
  expect(await bystander.next()).toMatchObject({ type: 'joined', room: 'still-here' });
});

test('a message of 100 KB in 32 KB frames goes to the room whole; one of exactly 128 KB reaches the route, which refuses to post more than 128 KB', async () => {
  const [sender, listener] = [await connect(), await connect()];
  const data = 'z'.repeat(100 * 1024);
  const text100 = JSON.stringify({ action: 'sendmessage', data });
  const frameSize = 32 * 1024;
  for (let at = 0; at < text100.length; at += frameSize) {
    sender.socket.send(text100.slice(at, at + frameSize), { fin: at + frameSize >= text100.length });
  }
  expect((await listener.next()).data).toBe(data);

  const c = await connect();
  const envelope = JSON.stringify({ action: 'sendmessage', data: '' });
  const text = JSON.stringify({ action: 'sendmessage', data: 'y'.repeat(128 * 1024 - envelope.length) });
  expect(Buffer.byteLength(text)).toBe(128 * 1024);
  for (let at = 0; at < text.length; at += 32 * 1024) c.socket.send(text.slice(at, at + 32 * 1024), { fin: at + 32 * 1024 >= text.length });
  // The sendmessage handler parsed the reassembled JSON: the message it would post (with the envelope) is over 128 KB.
  expect(await c.next()).toEqual({ type: 'error', message: expect.stringMatching(/^data: the message would be \d+ bytes with its envelope and JSON escaping; at most 131072$/) });
  expect(c.socket.readyState).toBe(WebSocket.OPEN);
});

test('an item for a connection the API never had (AWS-shaped id) gets 410 from @connections and is deleted', async () => {
  const sender = await connect();
  send(sender, { action: 'join', room: 'ghosts' });
  await sender.next();
  const ghost = 'R2hvc3RHaG9zdEc=';
  await db.send(new PutItemCommand({ TableName: table, Item: { connectionId: { S: ghost }, room: { S: 'ghosts' }, connectedAt: { N: '1' } } }));
  send(sender, { action: 'sendmessage', data: 'hi' });
  expect(await sender.next()).toMatchObject({ type: 'message', data: 'hi' });
  expect(await sender.next()).toEqual({ type: 'sent', room: 'ghosts', delivered: 1, gone: 1, failed: 0, cleanupFailed: 0 });
  expect(await item(ghost)).toBeUndefined();
});
