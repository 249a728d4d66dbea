import { createTable, LocalDynamoDb, startDynamoDb, startRecordingProxy } from '@apigw-blueprints/local';
import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { frame, loadHandler, managementEndpoint, ROOM_INDEX, TABLE } from './harness';

let db: LocalDynamoDb;

beforeAll(async () => {
  db = await startDynamoDb();
  await createTable(db.client, TABLE, 'connectionId', [{ name: ROOM_INDEX, partitionKey: 'room', sortKey: 'connectionId' }]);
});
afterAll(() => db.stop());

async function connect(connectionId: string, room: string) {
  const item = { connectionId: { S: connectionId }, room: { S: room }, ttl: { N: '2000000000' } };
  await db.client.send(new PutItemCommand({ TableName: TABLE, Item: item }));
}
async function roomOf(connectionId: string) {
  const { Item } = await db.client.send(new GetItemCommand({ TableName: TABLE, Key: { connectionId: { S: connectionId } }, ConsistentRead: true }));
  return Item?.room?.S;
}
const body = (r: { body?: string }) => JSON.parse(r.body ?? 'null');

describe('join', () => {
  test('moves the connection to the room and answers the member count', async () => {
    const join = loadHandler('join', { dynamodb: db.endpoint });
    await connect('j1', 'general');
    await connect('j2', 'books');
    const response = await join(frame('j1', { action: 'join', room: 'books' }, 'join'));
    expect(response.statusCode).toBe(200);
    expect(body(response)).toEqual({ type: 'joined', room: 'books', members: 2 });
    expect(await roomOf('j1')).toBe('books');
  });

  const ROOM_RULE = 'room: 1 to 64 of letters, digits, "_" and "-"';
  test.each([
    ['no room', { action: 'join' }, ROOM_RULE],
    ['an empty room', { action: 'join', room: '' }, ROOM_RULE],
    ['a 65-character room', { action: 'join', room: 'x'.repeat(65) }, ROOM_RULE],
    ['a room with a space', { action: 'join', room: 'no spaces' }, ROOM_RULE],
    ['a numeric room', { action: 'join', room: 7 }, ROOM_RULE],
    ['malformed JSON', '{not json', 'frame: not valid JSON; send {"action": "...", ...}'],
  ])('an error frame for %s, and the room is unchanged', async (_, payload, message) => {
    const join = loadHandler('join', { dynamodb: db.endpoint });
    await connect('j3', 'general');
    const response = await join(frame('j3', payload, 'join'));
    expect([response.statusCode, body(response)]).toEqual([400, { type: 'error', message }]);
    expect(await roomOf('j3')).toBe('general');
  });

  test('a connection without an item (already gone) gets an error frame, and no item is created', async () => {
    const join = loadHandler('join', { dynamodb: db.endpoint });
    const response = await join(frame('ghost', { action: 'join', room: 'books' }, 'join'));
    expect(body(response)).toEqual({ type: 'error', message: 'connection: not registered; reconnect' });
    expect(await roomOf('ghost')).toBeUndefined();
  });
});

describe('sendmessage', () => {
  test('reaches every member of the room across several pages; gone connections (410) are deleted, the sender never', async () => {
    // 13 members of "big" (pages of 5 connections), 2 of them gone; 3 connections in "other".
    const members = Array.from({ length: 13 }, (_, i) => `big-${String(i).padStart(2, '0')}`);
    const gone = new Set(['big-03', 'big-11']);
    for (const id of members) await connect(id, 'big');
    for (const id of ['other-1', 'other-2', 'other-3']) await connect(id, 'other');
    const endpoint = await managementEndpoint(gone);
    try {
      const send = loadHandler('sendmessage', { dynamodb: db.endpoint, callbackUrl: endpoint.callbackUrl, pageSize: 5 });
      const response = await send(frame('big-00', { action: 'sendmessage', data: 'hello, big room' }));
      expect(body(response)).toEqual({ type: 'sent', room: 'big', delivered: 11, gone: 2, failed: 0, cleanupFailed: 0 });

      const alive = members.filter((id) => !gone.has(id));
      expect([...endpoint.received.keys()].sort()).toEqual(alive);
      for (const id of alive) {
        expect(endpoint.received.get(id)!.map((m) => JSON.parse(m))).toEqual([
          { type: 'message', from: 'big-00', room: 'big', data: 'hello, big room', sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
        ]);
      }
      for (const id of ['other-1', 'other-2', 'other-3']) expect(endpoint.received.has(id)).toBe(false);

      const remaining = (await db.client.send(new ScanCommand({ TableName: TABLE }))).Items!.map((i) => i.connectionId.S!);
      for (const id of gone) expect(remaining).not.toContain(id);
      for (const id of [...alive, 'other-1', 'other-2', 'other-3']) expect(remaining).toContain(id);
    } finally {
      await endpoint.close();
    }
  });

  test('other delivery failures are counted and logged, and the broadcast goes on', async () => {
    for (const id of ['f-1', 'f-2', 'f-3']) await connect(id, 'flaky');
    const endpoint = await managementEndpoint(new Set(), new Set(['f-2']));
    const log = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const send = loadHandler('sendmessage', { dynamodb: db.endpoint, callbackUrl: endpoint.callbackUrl });
      const response = await send(frame('f-1', { action: 'sendmessage', data: 'hi' }));
      expect(body(response)).toEqual({ type: 'sent', room: 'flaky', delivered: 2, gone: 0, failed: 1, cleanupFailed: 0 });
      expect([...endpoint.received.keys()].sort()).toEqual(['f-1', 'f-3']);
      expect(await roomOf('f-2')).toBe('flaky');
      const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)));
      expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', event: 'post-failed', connectionId: 'f-2', status: 500 }));
      expect(lines).toContainEqual({ level: 'warn', event: 'broadcast', room: 'flaky', from: 'f-1', delivered: 2, gone: 0, failed: 1, cleanupFailed: 0 });
    } finally {
      log.mockRestore();
      await endpoint.close();
    }
  });

  test.each([
    ['no data', { action: 'sendmessage' }, 'data: required, a string'],
    ['numeric data', { action: 'sendmessage', data: 42 }, 'data: required, a string'],
    // 70,000 quotes fit as data, but not once JSON escaping doubles them: the posted message is what counts.
    ['data that escaping takes past 128 KB', { action: 'sendmessage', data: '"'.repeat(70_000) },
      expect.stringMatching(/^data: the message would be 14\d{4} bytes with its envelope and JSON escaping; at most 131072$/)],
  ])('an error frame for %s, and nothing is sent', async (_, payload, message) => {
    await connect('s1', 'quiet');
    const endpoint = await managementEndpoint(new Set());
    try {
      const send = loadHandler('sendmessage', { dynamodb: db.endpoint, callbackUrl: endpoint.callbackUrl });
      const response = await send(frame('s1', payload));
      expect([response.statusCode, body(response)]).toEqual([400, { type: 'error', message }]);
      expect(endpoint.received.size).toBe(0);
    } finally {
      await endpoint.close();
    }
  });

  test('a message up to 128 KB as posted goes out whole (API Gateway sends it in 32 KB frames)', async () => {
    await connect('big-sender', 'large');
    const endpoint = await managementEndpoint(new Set());
    try {
      const send = loadHandler('sendmessage', { dynamodb: db.endpoint, callbackUrl: endpoint.callbackUrl });
      const data = 'x'.repeat(128 * 1024 - 200);
      expect(body(await send(frame('big-sender', { action: 'sendmessage', data })))).toMatchObject({ type: 'sent', delivered: 1 });
      expect(JSON.parse(endpoint.received.get('big-sender')![0]).data).toBe(data);
      expect(endpoint.sizes[0]).toBeGreaterThan(32 * 1024);
      expect(endpoint.sizes[0]).toBeLessThanOrEqual(128 * 1024);
    } finally {
      await endpoint.close();
    }
  });

  test('a delete after 410 that fails is counted and logged; the broadcast goes on, page after page', async () => {
    const members = Array.from({ length: 9 }, (_, i) => `d-${i}`);
    for (const id of members) await connect(id, 'deletes');
    const gone = new Set(['d-1', 'd-7']);
    const endpoint = await managementEndpoint(gone);
    // DynamoDB refuses the deletes (as with a missing permission), in its wire format.
    const proxy = await startRecordingProxy(db.endpoint, (call) => (call.target.endsWith('.DeleteItem') ? { status: 400, type: 'AccessDeniedException' } : undefined));
    const log = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const send = loadHandler('sendmessage', { dynamodb: proxy.endpoint, callbackUrl: endpoint.callbackUrl, pageSize: 3 });
      const response = await send(frame('d-0', { action: 'sendmessage', data: 'hi' }));
      expect(body(response)).toEqual({ type: 'sent', room: 'deletes', delivered: 7, gone: 2, failed: 0, cleanupFailed: 2 });
      expect([...endpoint.received.keys()].sort()).toEqual(members.filter((id) => !gone.has(id)));
      const lines = log.mock.calls.map(([line]) => JSON.parse(String(line)));
      expect(lines.filter((l) => l.event === 'delete-failed').map((l) => [l.connectionId, l.error]).sort()).toEqual([['d-1', 'AccessDeniedException'], ['d-7', 'AccessDeniedException']]);
      expect(await roomOf('d-1')).toBe('deletes');
    } finally {
      log.mockRestore();
      await proxy.stop();
      await endpoint.close();
    }
  });

  test('the sender\'s room is read with a consistent read', async () => {
    await connect('c-1', 'fresh');
    const endpoint = await managementEndpoint(new Set());
    const proxy = await startRecordingProxy(db.endpoint);
    try {
      const send = loadHandler('sendmessage', { dynamodb: proxy.endpoint, callbackUrl: endpoint.callbackUrl });
      await send(frame('c-1', { action: 'sendmessage', data: 'hi' }));
      const reads = proxy.calls.filter((c) => c.target.endsWith('.GetItem'));
      expect(reads.map((r) => r.body.ConsistentRead)).toEqual([true]);
    } finally {
      await proxy.stop();
      await endpoint.close();
    }
  });

  test('at most 10 posts are in flight at once, and 10 are', async () => {
    const members = Array.from({ length: 30 }, (_, i) => `p-${String(i).padStart(2, '0')}`);
    for (const id of members) await connect(id, 'crowd');
    const endpoint = await managementEndpoint(new Set(), new Set(), 40);
    try {
      const send = loadHandler('sendmessage', { dynamodb: db.endpoint, callbackUrl: endpoint.callbackUrl });
      expect(body(await send(frame('p-00', { action: 'sendmessage', data: 'hi' })))).toMatchObject({ delivered: 30 });
      expect(endpoint.maxInFlight()).toBe(10);
    } finally {
      await endpoint.close();
    }
  });
});

describe('$default', () => {
  test.each([
    [{ action: 'dance' }, "action: unknown 'dance'; use one of join, sendmessage"],
    [{ room: 'x' }, 'action: required, a string'],
    ['[1,2]', 'frame: must be a JSON object'],
    ['hello', 'frame: not valid JSON; send {"action": "...", ...}'],
  ])('answers %j with an error frame', async (payload, message) => {
    const fallback = loadHandler('default', { dynamodb: db.endpoint });
    const response = await fallback(frame('d1', payload, '$default'));
    expect([response.statusCode, body(response)]).toEqual([400, { type: 'error', message }]);
  });
});
