import { request as httpRequest } from 'node:http';
import { ApiGatewayManagementApiClient, DeleteConnectionCommand, GetConnectionCommand, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { serveFixture } from './fixture';
import { waitFor } from './wait';
import { Client, open } from './ws-client';
import { banner } from '../src/banner';
import { ConnectionEnd } from '../src/http/websocket/websocket-api-server';
import { RunningStack } from '../src/runner/serve-options';

// WebSocket APIs on synthetic templates: route selection, $connect refusals,
// Lambda events, Velocity templates against dynalite, @connections.
const CONNECT = `exports.handler = async (event) => {
  console.log('EVENT ' + JSON.stringify(event));
  const q = event.queryStringParameters || {};
  if (q.throw) throw new Error('connect failed');
  return { statusCode: q.refuse ? Number(q.refuse) : 200 };
};`;
const ECHO = `exports.handler = async (event) => {
  console.log('EVENT ' + JSON.stringify(event));
  return { statusCode: 200, body: JSON.stringify({ route: event.requestContext.routeKey, body: event.body, messageId: event.requestContext.messageId }) };
};`;

const fnUri = (fn: string) => ({ 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [fn, 'Arn'] }, '/invocations']] });
const target = (integration: string) => ({ 'Fn::Join': ['', ['integrations/', { Ref: integration }]] });

function route(id: string, key: string, integration: Record<string, unknown>, twoWay = false): Record<string, any> {
  return {
    [`${id}Integration`]: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Ws' }, ...integration } },
    [`${id}Route`]: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Ws' }, RouteKey: key, Target: target(`${id}Integration`) } },
    ...(twoWay ? { [`${id}Response`]: { Type: 'AWS::ApiGatewayV2::RouteResponse', Properties: { ApiId: { Ref: 'Ws' }, RouteId: { Ref: `${id}Route` }, RouteResponseKey: '$default' } } } : {}),
  };
}

const PUT_TEMPLATE = '{"TableName": "${T}", "Item": {"id": {"S": "$context.connectionId"}, "x": {"S": $input.json(\'$.x\')}, '
  + '"escaped": {"S": "$util.escapeJavaScript($input.path(\'$.text\'))"}, "event": {"S": "$context.eventType"}}}';

function stack(withDefault: boolean, connectFails = false) {
  return {
    functions: { Connect: { source: CONNECT }, Echo: { source: ECHO } },
    resources: {
      Ws: { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '${request.body.meta.kind}-${request.body.op}' } },
      Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Ws' }, StageName: 'dev' } },
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] } },
      ...route('Connect', '$connect', connectFails
        ? { IntegrationType: 'AWS', IntegrationUri: 'arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem', RequestTemplates: { $default: '{"TableName": "missing", "Item": {}}' } }
        : { IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri('Connect') }),
      ...route('Disconnect', '$disconnect', { IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri('Connect') }),
      ...route('Echo', 'chat-say', { IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri('Echo') }, true),
      ...route('EchoEmpty', '-say', { IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri('Echo') }, true),
      ...route('Put', 'store-put', {
        IntegrationType: 'AWS',
        IntegrationMethod: 'POST',
        IntegrationUri: 'arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem',
        PassthroughBehavior: 'NEVER',
        TemplateSelectionExpression: '\\$default',
        RequestTemplates: { $default: { 'Fn::Sub': [PUT_TEMPLATE, { T: { Ref: 'Table' } }] } },
      }, true),
      PutResponse2: {
        Type: 'AWS::ApiGatewayV2::IntegrationResponse',
        Properties: { ApiId: { Ref: 'Ws' }, IntegrationId: { Ref: 'PutIntegration' }, IntegrationResponseKey: '$default', ResponseTemplates: { $default: '{"stored": true, "raw": $input.body}' } },
      },
      ...route('Broken', 'store-broken', {
        IntegrationType: 'AWS',
        IntegrationUri: 'arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem',
        RequestTemplates: { $default: '{"TableName": "no-such-table", "Item": {"id": {"S": "x"}}}' },
      }, true),
      ...route('NotJson', 'store-notjson', {
        IntegrationType: 'AWS',
        IntegrationUri: 'arn:aws:apigateway:eu-west-1:dynamodb:action/PutItem',
        RequestTemplates: { $default: 'TableName=$input.body' },
      }, true),
      ...(withDefault ? route('Default', '$default', { IntegrationType: 'AWS_PROXY', IntegrationUri: fnUri('Echo') }, true) : {}),
    },
  };
}

/** Opens a client and finds its connection id: the one the server did not have before. */
async function openWithId(running: RunningStack, url: string, headers: Record<string, string> = {}): Promise<Client & { id: string }> {
  const before = new Set(running.webSocketApis[0].server.connectionIds());
  const c = await open(url, headers);
  return { ...c, id: running.webSocketApis[0].server.connectionIds().find((x) => !before.has(x))! };
}

const events = (lines: string[]) => lines.filter((l) => l.includes('EVENT ')).map((l) => JSON.parse(l.slice(l.indexOf('EVENT ') + 6)));
/** Resolves with how the server ended the connection `id` (its close code, whether `$disconnect` was sent). */
function ended(running: RunningStack, id: string): Promise<ConnectionEnd> {
  return new Promise((resolve) => {
    const stop = running.webSocketApis[0].server.onConnectionEnd((end) => {
      if (end.connectionId !== id) return;
      stop();
      resolve(end);
    });
  });
}

describe('a WebSocket API with $default', () => {
  let running: RunningStack;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    running = await serveFixture(stack(true), lines, { wsIdleTimeoutMs: 1500 });
    url = running.webSocketApis[0].stageUrls.dev;
  });
  afterAll(() => running?.stop());

  test('$connect gets headers and the query string; its Lambda\'s non-2xx status refuses the handshake with that status', async () => {
    lines.length = 0;
    const c = await open(`${url}?user=ann&tag=a&tag=b`, { 'x-client': 'jest' });
    // The handler's output reaches the runner's log through the worker's stdout, maybe after the handshake.
    await waitFor(() => events(lines).length > 0, 'the $connect event in the log');
    const [connect] = events(lines);
    expect(connect.requestContext).toMatchObject({
      routeKey: '$connect',
      eventType: 'CONNECT',
      stage: 'dev',
      apiId: running.webSocketApis[0].id,
      messageDirection: 'IN',
      connectionId: expect.stringMatching(/^[A-Za-z0-9+/]{15}=$/),
      connectedAt: expect.any(Number),
      requestTimeEpoch: expect.any(Number),
    });
    expect(connect.requestContext).toMatchObject({
      domainName: `127.0.0.1:${running.webSocketApis[0].port}`, requestId: expect.stringMatching(/=$/), identity: { sourceIp: '127.0.0.1', userAgent: '' },
    });
    expect(connect.headers['x-client']).toBe('jest');
    expect(connect.queryStringParameters).toEqual({ user: 'ann', tag: 'b' });
    expect(connect.multiValueQueryStringParameters).toEqual({ user: ['ann'], tag: ['a', 'b'] });
    c.socket.close();
    await expect(open(`${url}?refuse=403`)).rejects.toMatchObject({ status: 403 });
    await expect(open(`${url}?throw=1`)).rejects.toMatchObject({ status: 500 });
  });

  test('a handshake ws would reject is refused (400) before $connect runs', async () => {
    lines.length = 0;
    const { port } = running.webSocketApis[0];
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/dev', headers: { 'connection': 'Upgrade', 'upgrade': 'websocket', 'sec-websocket-key': 'short', 'sec-websocket-version': '13' } });
      req.on('response', (res) => resolve(res.statusCode!));
      req.on('upgrade', () => reject(new Error('upgraded')));
      req.on('error', reject);
      req.end();
    }).catch((e: any) => (e.code === 'ECONNRESET' ? 400 : Promise.reject(e)));
    expect(status).toBe(400);
    // A good handshake after it: once its $connect event is in, the refused one would have logged one before it.
    const c = await openWithId(running, url);
    // CONNECT events only: the previous test's $disconnect may still be on its way from the function's process.
    const connects = () => events(lines).filter((e) => e.requestContext.eventType === 'CONNECT');
    await waitFor(() => connects().length > 0, 'the good connection\'s $connect event');
    expect(connects().map((e) => e.requestContext.connectionId)).toEqual([c.id]);
    c.socket.close();
  });

  test('route selection: ${} parts of nested paths; a two-way Lambda route sends its body back; no match and non-JSON go to $default', async () => {
    const c = await open(url);
    c.socket.send(JSON.stringify({ meta: { kind: 'chat' }, op: 'say', text: 'hi' }));
    expect(JSON.parse(await c.next())).toMatchObject({ route: 'chat-say', messageId: expect.stringMatching(/=$/) });
    // The missing meta.kind is an empty string: "-say", a route of its own.
    c.socket.send(JSON.stringify({ op: 'say' }));
    expect(JSON.parse(await c.next())).toMatchObject({ route: '-say' });
    c.socket.send(JSON.stringify({ meta: { kind: 'chat' }, op: 'shout' }));
    expect(JSON.parse(await c.next())).toMatchObject({ route: '$default' });
    c.socket.send('plain text');
    expect(JSON.parse(await c.next())).toMatchObject({ route: '$default', body: 'plain text' });
    c.socket.close();
  });

  test('an AWS integration: the Velocity template ($input.json, $util.escapeJavaScript, $context) writes to DynamoDB; the integration response answers', async () => {
    const c = await openWithId(running, url);
    const id = c.id;
    c.socket.send(JSON.stringify({ meta: { kind: 'store' }, op: 'put', x: 'value "x"', text: 'say "hi"\n' }));
    const reply = JSON.parse(await c.next());
    expect(reply).toEqual({ stored: true, raw: {} });
    const db = new DynamoDBClient({ endpoint: running.dynamoDbEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { Item } = await db.send(new GetItemCommand({ TableName: running.tables[0].table.name, Key: { id: { S: id } } }));
    db.destroy();
    expect(Item).toEqual({ id: { S: id }, x: { S: 'value "x"' }, escaped: { S: 'say "hi"\n' }, event: { S: 'MESSAGE' } });
    c.socket.close();
  });

  test('a failing AWS integration (the service errs, or the template is not JSON) sends AWS\'s error frame and prints the rendered request', async () => {
    lines.length = 0;
    const c = await openWithId(running, url);
    const id = c.id;
    c.socket.send(JSON.stringify({ meta: { kind: 'store' }, op: 'broken' }));
    expect(JSON.parse(await c.next())).toEqual({ message: 'Internal server error', connectionId: id, requestId: expect.any(String) });
    expect(lines.join('\n')).toContain('dynamodb PutItem answered 400 ResourceNotFoundException');
    c.socket.send(JSON.stringify({ meta: { kind: 'store' }, op: 'notjson' }));
    expect(JSON.parse(await c.next())).toMatchObject({ message: 'Internal server error' });
    expect(lines.join('\n')).toContain('the request template rendered text that is not JSON: TableName={"meta"');
    c.socket.close();
  });

  test('@connections through the SDK: GET describes, POST sends, DELETE closes; then GoneException (410); data over 128 KB is 413', async () => {
    const c = await openWithId(running, url, { 'user-agent': 'jest-agent' });
    const id = c.id;
    const api = new ApiGatewayManagementApiClient({ endpoint: `http://127.0.0.1:${running.webSocketApis[0].port}/dev`, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const described = await api.send(new GetConnectionCommand({ ConnectionId: id }));
      expect(described).toMatchObject({ ConnectedAt: expect.any(Date), LastActiveAt: expect.any(Date), Identity: { SourceIp: '127.0.0.1', UserAgent: 'jest-agent' } });
      await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('pushed') }));
      expect(await c.next()).toBe('pushed');
      const tooBig = await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.alloc(128 * 1024 + 1, 97) })).catch((e) => e);
      expect([tooBig.name, tooBig.$metadata.httpStatusCode]).toEqual(['PayloadTooLargeException', 413]);
      const closed = new Promise((resolve) => c.socket.once('close', resolve));
      await api.send(new DeleteConnectionCommand({ ConnectionId: id }));
      expect(await closed).toBe(1000);
      const gone = await api.send(new PostToConnectionCommand({ ConnectionId: id, Data: Buffer.from('x') })).catch((e) => e);
      expect([gone.name, gone.$metadata.httpStatusCode]).toEqual(['GoneException', 410]);
    } finally {
      api.destroy();
    }
  });

  test('$disconnect runs after a close frame and after a vanished client, with disconnectStatusCode', async () => {
    lines.length = 0;
    const closing = await openWithId(running, url);
    closing.socket.close(1000, 'bye');
    const vanishing = await openWithId(running, url);
    (vanishing.socket as any)._socket.destroy();
    const ours = [closing.id, vanishing.id];
    const ourDisconnects = () => events(lines).filter((e) => e.requestContext.eventType === 'DISCONNECT' && ours.includes(e.requestContext.connectionId));
    await waitFor(() => ourDisconnects().length === 2, 'both $disconnect events in the log');
    const disconnects = ourDisconnects();
    expect(disconnects.map((e) => [e.requestContext.connectionId, e.requestContext.routeKey, e.requestContext.disconnectStatusCode]).sort()).toEqual([
      [closing.id, '$disconnect', 1000],
      [vanishing.id, '$disconnect', 1006],
    ].sort());
    expect(disconnects.find((e) => e.requestContext.connectionId === closing.id).requestContext.disconnectReason).toBe('bye');
  });

  test('an idle connection is closed with 1001 after the idle timeout (--ws-idle-timeout)', async () => {
    const c = await open(url);
    const code = await new Promise((resolve) => c.socket.once('close', resolve));
    expect(code).toBe(1001);
  });
});

describe('a WebSocket API without $default', () => {
  test('an unmatched message gets {"message":"Forbidden","connectionId","requestId"}', async () => {
    const running = await serveFixture(stack(false));
    try {
      const c = await openWithId(running, running.webSocketApis[0].stageUrls.dev);
      const id = c.id;
      c.socket.send(JSON.stringify({ op: 'nothing' }));
      expect(JSON.parse(await c.next())).toEqual({ message: 'Forbidden', connectionId: id, requestId: expect.any(String) });
      const end = ended(running, id);
      c.socket.close();
      await end;
    } finally {
      await running.stop();
    }
  });
});

describe('a $connect AWS integration that fails', () => {
  test('refuses the handshake with 500 (the runner\'s reading: AWS documents no status) and prints why', async () => {
    const lines: string[] = [];
    const running = await serveFixture(stack(true, true), lines);
    try {
      await expect(open(running.webSocketApis[0].stageUrls.dev)).rejects.toMatchObject({ status: 500 });
      expect(lines.join('\n')).toContain('$connect');
      expect(lines.join('\n')).toContain('dynamodb PutItem answered 400');
      expect(running.webSocketApis[0].server.connectionIds()).toEqual([]);
    } finally {
      await running.stop();
    }
  });
});

describe('connection lifetime, the test-only drop, the banner', () => {
  let running: RunningStack;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    running = await serveFixture(stack(true), lines, { wsMaxLifetimeMs: 1200 });
    url = running.webSocketApis[0].stageUrls.dev;
  });
  afterAll(() => running?.stop());

  test('a connection is closed with 1001 at --ws-max-lifetime, however active it is', async () => {
    const c = await open(url);
    const ticker = setInterval(() => c.socket.send(JSON.stringify({ meta: { kind: 'chat' }, op: 'say' })), 200);
    const code = await new Promise((resolve) => c.socket.once('close', resolve)).finally(() => clearInterval(ticker));
    expect(code).toBe(1001);
    expect(c.frames.length).toBeGreaterThan(2);
  });

  test('POST /@apigw-local/drop/{id} ends a connection without $disconnect; an unknown id is 404', async () => {
    const c = await openWithId(running, url);
    const end = ended(running, c.id);
    const drop = await fetch(`http://127.0.0.1:${running.webSocketApis[0].port}/@apigw-local/drop/${encodeURIComponent(c.id)}`, { method: 'POST' });
    expect(drop.status).toBe(204);
    await new Promise((resolve) => c.socket.once('close', resolve));
    // The server decides on $disconnect when it sees the close; a dropped connection gets none.
    expect(await end).toEqual({ connectionId: c.id, code: 1006, disconnectSent: false });
    // A connection closed after it gets its $disconnect; the dropped one still has none.
    const later = await openWithId(running, url);
    later.socket.close();
    await waitFor(() => events(lines).some((e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === later.id), 'the later $disconnect');
    expect(events(lines).filter((e) => e.requestContext.eventType === 'DISCONNECT' && e.requestContext.connectionId === c.id)).toEqual([]);
    expect((await fetch(`http://127.0.0.1:${running.webSocketApis[0].port}/@apigw-local/drop/nope`, { method: 'POST' })).status).toBe(404);
  });

  test('the banner prints the URL, the routes, a wscat line, @connections and the example frames', () => {
    const text = banner(running, { frames: [{ action: 'join' }, 'plain'] });
    expect(text).toContain(`WebSocket API ws (id ${running.webSocketApis[0].id}), stage dev: ${url}`);
    expect(text).toContain(`  connect: npx wscat -c ${url}`);
    expect(text).toContain(`  @connections: ${url.replace('ws:', 'http:')}/@connections/{connectionId}`);
    expect(text).toContain('  then send:\n    {"action":"join"}\n    plain');
  });

  test('a web page cannot use @connections or the test-only drop (Origin, or Sec-Fetch-Site: cross-site): 403, the connection stays', async () => {
    const c = await openWithId(running, url);
    const port = running.webSocketApis[0].port;
    const fromPage: Array<Record<string, string>> = [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }];
    for (const headers of fromPage) {
      const post = await fetch(`http://127.0.0.1:${port}/dev/@connections/${encodeURIComponent(c.id)}`, { method: 'POST', body: 'hi', headers });
      expect([post.status, post.headers.get('x-amzn-errortype'), post.headers.get('access-control-allow-origin')]).toEqual([403, 'AccessDeniedException', null]);
      const drop = await fetch(`http://127.0.0.1:${port}/@apigw-local/drop/${encodeURIComponent(c.id)}`, { method: 'POST', headers });
      expect(drop.status).toBe(403);
    }
    expect(running.webSocketApis[0].server.connectionIds()).toContain(c.id);
    // The same request from a handler (no Origin) is delivered.
    expect((await fetch(`http://127.0.0.1:${port}/dev/@connections/${encodeURIComponent(c.id)}`, { method: 'POST', body: 'hi' })).status).toBe(200);
    expect(await c.next()).toBe('hi');
    expect(c.frames).toEqual(['hi']);
    c.socket.close();
  });

  test('@connections of a stage the API lacks is 403 {"message":"Forbidden"}', async () => {
    const reply = await fetch(`http://127.0.0.1:${running.webSocketApis[0].port}/prod/@connections/abc`, { method: 'POST', body: 'x' });
    expect([reply.status, await reply.json()]).toEqual([403, { message: 'Forbidden' }]);
  });
});
