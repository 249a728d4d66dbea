import { send } from './client';
import { ECHO_HANDLER, serveFixture } from './fixture';
import { RunningStack } from '../src/runner/serve-options';

// A handler that answers with what the test put in the request body: { result } is returned as is.
const RETURN_BODY = 'exports.handler = async (event) => JSON.parse(event.isBase64Encoded ? Buffer.from(event.body, \'base64\').toString() : event.body).result;';

let running: RunningStack;
let base: string;
const lines: string[] = [];

beforeAll(async () => {
  running = await serveFixture({
    functions: { Echo: { source: ECHO_HANDLER }, Returns: { source: RETURN_BODY } },
    routes: [
      { routeKey: 'POST /v2/{id}', fn: 'Echo' },
      { routeKey: 'GET /v2/{id}', fn: 'Echo' },
      { routeKey: 'POST /v1/{id}', fn: 'Echo', payloadFormatVersion: '1.0' },
      { routeKey: 'GET /v1/{id}', fn: 'Echo', payloadFormatVersion: '1.0' },
      { routeKey: 'POST /returns', fn: 'Returns' },
      { routeKey: 'POST /returns-v1', fn: 'Returns', payloadFormatVersion: '1.0' },
    ],
    stages: [{ name: '$default', variables: { color: 'blue' } }],
  }, lines);
  base = running.apis[0].stageUrls.$default;
});
afterAll(() => running.stop());

/** Sends `{ result }` and returns what the client got. */
const answer = (result: unknown, route = '/returns') =>
  send(`${base}${route}`, { method: 'POST', body: JSON.stringify({ result }), headers: { 'content-type': 'application/json' } });

describe('payload format 2.0 event (http-api-develop-integrations-lambda)', () => {
  test('every field, as the AWS docs list them', async () => {
    const before = Date.now();
    const reply = await send(`${base}/v2/a%20b?x=1&x=2&y=&z=%C3%A9`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Custom': ['one', 'two'], 'Cookie': ['a=1; b=2', 'c=3'], 'user-agent': 'fidelity-test' },
      body: '{"hello":"world"}',
    });
    const event = reply.json();
    expect(event).toEqual({
      version: '2.0',
      routeKey: 'POST /v2/{id}',
      rawPath: '/v2/a%20b',
      rawQueryString: 'x=1&x=2&y=&z=%C3%A9',
      cookies: ['a=1', 'b=2', 'c=3'],
      headers: expect.objectContaining({
        'content-type': 'application/json',
        'x-custom': 'one,two',
        'user-agent': 'fidelity-test',
        'x-forwarded-proto': 'http',
        'x-forwarded-for': '127.0.0.1',
        'x-amzn-trace-id': expect.stringMatching(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/),
      }),
      queryStringParameters: { x: '1,2', y: '', z: 'é' },
      requestContext: {
        accountId: '111111111111',
        apiId: running.apis[0].id,
        domainName: new URL(base).host,
        domainPrefix: '127',
        http: { method: 'POST', path: '/v2/a%20b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'fidelity-test' },
        requestId: reply.headers['apigw-requestid'],
        routeKey: 'POST /v2/{id}',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        timeEpoch: expect.any(Number),
      },
      body: '{"hello":"world"}',
      isBase64Encoded: false,
      pathParameters: { id: 'a b' },
      stageVariables: { color: 'blue' },
    });
    expect(event.headers.cookie).toBeUndefined();
    expect(event.requestContext.timeEpoch).toBeGreaterThanOrEqual(before);
    expect(event.requestContext.timeEpoch).toBeLessThanOrEqual(Date.now());
  });

  test('a request without query, cookies or body leaves those fields out; each request has its own requestId', async () => {
    const first = (await send(`${base}/v2/1`)).json();
    const second = (await send(`${base}/v2/1`)).json();
    for (const field of ['cookies', 'queryStringParameters', 'body']) expect(first).not.toHaveProperty(field);
    expect(first.rawQueryString).toBe('');
    expect(first.isBase64Encoded).toBe(false);
    expect(first.requestContext.requestId).not.toBe(second.requestContext.requestId);
  });

  test('a binary body arrives base64-encoded', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const event = (await send(`${base}/v2/1`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } })).json();
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(bytes);
  });
});

describe('payload format 1.0 event', () => {
  test('every field, as the AWS docs list them', async () => {
    const reply = await send(`${base}/v1/42?x=1&x=2`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'X-Custom': ['one', 'two'], 'user-agent': 'fidelity-test' },
      body: 'plain text',
    });
    const event = reply.json();
    expect(event).toEqual({
      version: '1.0',
      resource: '/v1/{id}',
      path: '/v1/42',
      httpMethod: 'POST',
      headers: expect.objectContaining({ 'content-type': 'text/plain', 'x-custom': 'two', 'user-agent': 'fidelity-test' }),
      multiValueHeaders: expect.objectContaining({ 'x-custom': ['one', 'two'], 'content-type': ['text/plain'] }),
      queryStringParameters: { x: '2' },
      multiValueQueryStringParameters: { x: ['1', '2'] },
      requestContext: {
        accountId: '111111111111',
        apiId: running.apis[0].id,
        domainName: new URL(base).host,
        domainPrefix: '127',
        extendedRequestId: reply.headers['apigw-requestid'],
        httpMethod: 'POST',
        identity: {
          accessKey: null,
          accountId: null,
          caller: null,
          cognitoAuthenticationProvider: null,
          cognitoAuthenticationType: null,
          cognitoIdentityId: null,
          cognitoIdentityPoolId: null,
          principalOrgId: null,
          sourceIp: '127.0.0.1',
          user: null,
          userAgent: 'fidelity-test',
          userArn: null,
        },
        path: '/v1/42',
        protocol: 'HTTP/1.1',
        requestId: reply.headers['apigw-requestid'],
        requestTime: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        requestTimeEpoch: expect.any(Number),
        resourceId: 'POST /v1/{id}',
        resourcePath: '/v1/{id}',
        stage: '$default',
      },
      pathParameters: { id: '42' },
      stageVariables: { color: 'blue' },
      body: 'plain text',
      isBase64Encoded: false,
    });
  });

  test('no query and no body: null, as in the 1.0 format', async () => {
    const event = (await send(`${base}/v1/42`)).json();
    expect(event).toMatchObject({ queryStringParameters: null, multiValueQueryStringParameters: null, body: null, isBase64Encoded: false });
  });
});

describe('responses', () => {
  test('2.0 without statusCode: inferred as 200, application/json, the result as body', async () => {
    const object = await answer({ message: 'hi' });
    expect([object.status, object.headers['content-type'], object.text]).toEqual([200, 'application/json', '{"message":"hi"}']);
    const string = await answer('Hello from Lambda!');
    expect([string.status, string.headers['content-type'], string.text]).toEqual([200, 'application/json', 'Hello from Lambda!']);
  });

  test('2.0 with statusCode: status, headers, each cookie its own set-cookie, base64 bodies decoded', async () => {
    const reply = await answer({
      statusCode: 418,
      headers: { 'X-Teapot': 'yes' },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: Buffer.from([1, 2, 3]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(reply.status).toBe(418);
    expect(reply.headers['x-teapot']).toBe('yes');
    expect(reply.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(Buffer.from(reply.text, 'latin1')).toEqual(Buffer.from([1, 2, 3]));
  });

  test('1.0: headers and multiValueHeaders merged, multi values winning', async () => {
    const reply = await answer({ statusCode: 201, headers: { a: 'single', b: 'kept' }, multiValueHeaders: { a: ['m1', 'm2'] }, body: 'ok' }, '/returns-v1');
    expect([reply.status, reply.headers.a, reply.headers.b, reply.text]).toEqual([201, 'm1, m2', 'kept', 'ok']);
  });

  test.each([
    ['2.0, statusCode not a status', { statusCode: 'teapot' }, '/returns'],
    ['2.0, body not a string', { statusCode: 200, body: { a: 1 } }, '/returns'],
    ['2.0, cookies not strings', { statusCode: 200, cookies: [1] }, '/returns'],
    ['2.0, a header value with a line break', { statusCode: 200, headers: { 'x-bad': 'a\nb' } }, '/returns'],
    ['2.0, a header name that is no token', { statusCode: 200, headers: { 'bad name': 'x' } }, '/returns'],
    ['1.0, no statusCode', { body: 'x' }, '/returns-v1'],
  ])('malformed result (%s): 500 {"message":"Internal Server Error"}, the reason printed', async (_name, result, route) => {
    lines.length = 0;
    const reply = await answer(result, route);
    expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    expect(lines.join('\n')).toMatch(/malformed Lambda proxy response/);
  });
});
