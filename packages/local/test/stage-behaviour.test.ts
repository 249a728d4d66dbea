import { send } from './client';
import { ECHO_HANDLER, serveFixture } from './fixture';
import { RunningStack } from '../src/runner/serve-options';

const SLOW = 'exports.handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return { statusCode: 200, body: "late" }; };';
const BACKEND_CORS = `exports.handler = async () => ({
  statusCode: 200,
  headers: { 'access-control-allow-origin': 'https://evil.example', 'access-control-allow-methods': 'DELETE', 'x-kept': 'yes' },
  body: 'ok',
});`;

describe('CORS, as CorsConfiguration sets it', () => {
  let running: RunningStack;
  let url: string;
  beforeAll(async () => {
    running = await serveFixture({
      functions: { Echo: { source: ECHO_HANDLER }, Cors: { source: BACKEND_CORS } },
      api: {
        CorsConfiguration: {
          AllowOrigins: ['https://app.example', 'http://*'],
          AllowMethods: ['GET', 'POST'],
          AllowHeaders: ['content-type', 'authorization'],
          ExposeHeaders: ['x-kept'],
          MaxAge: 600,
        },
      },
      routes: [{ routeKey: 'GET /things', fn: 'Cors' }, { routeKey: 'ANY /{proxy+}', fn: 'Echo' }],
    });
    url = running.apis[0].stageUrls.$default;
  });
  afterAll(() => running?.stop());

  test('a preflight is answered by the API, even with an ANY route, and never reaches the function', async () => {
    const reply = await send(`${url}/things`, {
      method: 'OPTIONS',
      headers: { 'origin': 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(reply.status).toBe(204);
    expect(reply.text).toBe('');
    expect(reply.headers).toMatchObject({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-methods': 'GET,POST',
      'access-control-allow-headers': 'content-type,authorization',
      'access-control-max-age': '600',
    });
  });

  test('an origin matching an `http://*` entry is echoed; one not allowed gets no CORS headers', async () => {
    const allowed = await send(`${url}/things`, { method: 'OPTIONS', headers: { 'origin': 'http://localhost:5173', 'access-control-request-method': 'GET' } });
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    const refused = await send(`${url}/things`, { method: 'OPTIONS', headers: { 'origin': 'https://other.example', 'access-control-request-method': 'GET' } });
    expect(refused.status).toBe(204);
    expect(Object.keys(refused.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
  });

  test('an OPTIONS request that is not a preflight goes to the routes', async () => {
    const reply = await send(`${url}/things`, { method: 'OPTIONS' });
    expect(reply.status).toBe(200);
    expect(reply.json().routeKey).toBe('ANY /{proxy+}');
  });

  test("the backend's CORS headers are replaced by the configured ones; its other headers stay", async () => {
    const reply = await send(`${url}/things`, { headers: { origin: 'https://app.example' } });
    expect(reply.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example', 'access-control-expose-headers': 'x-kept', 'x-kept': 'yes' });
    expect(reply.headers['access-control-allow-methods']).toBeUndefined();
    const noOrigin = await send(`${url}/things`);
    expect(noOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('throttling, with a fake clock', () => {
  let running: RunningStack;
  let url: string;
  let now = 1_000_000;
  beforeAll(async () => {
    running = await serveFixture({
      functions: { Echo: { source: ECHO_HANDLER } },
      stages: [{
        name: '$default',
        properties: {
          DefaultRouteSettings: { ThrottlingBurstLimit: 3, ThrottlingRateLimit: 2 },
          RouteSettings: { 'GET /strict': { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 1 } },
        },
      }],
      routes: [{ routeKey: 'GET /a', fn: 'Echo' }, { routeKey: 'GET /b', fn: 'Echo' }, { routeKey: 'GET /strict', fn: 'Echo' }],
    }, [], { clock: () => now });
    url = running.apis[0].stageUrls.$default;
  });
  afterAll(() => running?.stop());

  const statuses = async (path: string, n: number) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await send(`${url}${path}`)).status);
    return out;
  };

  test('the burst passes, the next request is 429 {"message":"Too Many Requests"}, and each route has its own bucket', async () => {
    expect(await statuses('/a', 4)).toEqual([200, 200, 200, 429]);
    const refused = await send(`${url}/a`);
    expect([refused.status, refused.json()]).toEqual([429, { message: 'Too Many Requests' }]);
    expect(await statuses('/b', 3)).toEqual([200, 200, 200]);
  });

  test('the bucket refills at the rate limit', async () => {
    now += 500; // 2 per second: one token
    expect(await statuses('/a', 2)).toEqual([200, 429]);
    now += 10_000; // never more than the burst
    expect(await statuses('/a', 4)).toEqual([200, 200, 200, 429]);
  });

  test("a route's own RouteSettings override the stage default", async () => {
    expect(await statuses('/strict', 2)).toEqual([200, 429]);
    now += 1000;
    expect(await statuses('/strict', 2)).toEqual([200, 429]);
  });
});

describe('integration timeout and access logs', () => {
  let running: RunningStack;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    running = await serveFixture({
      functions: { Echo: { source: ECHO_HANDLER }, Slow: { source: SLOW, timeout: 5 } },
      stages: [{
        name: 'v1',
        properties: {
          AccessLogSettings: {
            DestinationArn: 'arn:aws:logs:eu-west-1:111111111111:log-group:access',
            Format: '{"requestId":"$context.requestId","route":"$context.routeKey","status":"$context.status","len":"$context.responseLength",'
              + '"integrationStatus":"$context.integrationStatus","error":"$context.error.message","quoted":$context.error.messageString,'
              + '"method":"$context.httpMethod","path":"$context.path","stage":"$context.stage","ip":"$context.identity.sourceIp",'
              + '"time":"$context.requestTime","epoch":"$context.requestTimeEpoch","protocol":"$context.protocol","unknown":"$context.nothing.here"}',
          },
        },
      }],
      routes: [
        { routeKey: 'GET /echo', fn: 'Echo' },
        { routeKey: 'GET /slow', fn: 'Slow', integration: { TimeoutInMillis: 200 } },
      ],
    }, lines);
    url = running.apis[0].stageUrls.v1;
  });
  afterAll(() => running?.stop());

  test('an integration slower than TimeoutInMillis: 503 {"message":"Service Unavailable"} at the timeout', async () => {
    const reply = await send(`${url}/slow`);
    expect([reply.status, reply.json()]).toEqual([503, { message: 'Service Unavailable' }]);
  });

  test('one access-log line per request, in the stage format, $context variables filled', async () => {
    lines.length = 0;
    const reply = await send(`${url}/echo`, { headers: { 'user-agent': 'jest' } });
    const missing = await send(`${url}/nowhere`);
    const logged = lines.filter((l) => l.startsWith('{"requestId"')).map((l) => JSON.parse(l));
    expect(logged).toHaveLength(2);
    expect(logged[0]).toEqual({
      requestId: reply.headers['apigw-requestid'],
      route: 'GET /echo',
      status: '200',
      len: String(Buffer.byteLength(reply.text)),
      integrationStatus: '200',
      error: '-',
      quoted: '-',
      method: 'GET',
      path: '/v1/echo',
      stage: 'v1',
      ip: '127.0.0.1',
      time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
      epoch: expect.stringMatching(/^\d{13}$/),
      protocol: 'HTTP/1.1',
      unknown: '-',
    });
    expect(logged[1]).toMatchObject({ requestId: missing.headers['apigw-requestid'], route: '-', status: '404', error: 'Not Found', quoted: 'Not Found', integrationStatus: '-' });
  });
});
