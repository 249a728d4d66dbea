import { Backend, startBackend } from './backend';
import { send } from './client';
import { serveFixture } from './fixture';
import { RunningStack } from '../src/runner/serve-options';

// HTTP_PROXY integrations with every parameter-mapping source and modifier
// of http-api-parameter-mapping.html, checked at a backend the test runs.
let backend: Backend;
let running: RunningStack;
let url: string;

beforeAll(async () => {
  backend = await startBackend((r) => ({
    status: r.url.startsWith('/created') ? 201 : 200,
    headers: { 'content-type': 'application/json', 'x-backend': 'b1', 'access-control-allow-origin': 'https://evil.example' },
    body: JSON.stringify({ id: 'item-9', seen: r.url }),
  }));
  running = await serveFixture({
    stages: [{ name: 'prod', variables: { color: 'blue', host: backend.url.replace('http://', '') } }],
    routes: [
      {
        routeKey: 'POST /items/{id}',
        integration: {
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'ANY',
          IntegrationUri: `${backend.url}/ignored`,
          PayloadFormatVersion: '1.0',
          RequestParameters: {
            'overwrite:path': '/backend/${request.path.id}',
            'append:header.x-in': 'appended',
            'overwrite:header.x-in-copy': '$request.header.X-IN',
            'overwrite:header.x-sku': '$request.body.order.items[0].sku',
            'overwrite:header.x-order': '$request.body.order',
            'overwrite:header.x-whole': '$request.body',
            'overwrite:header.x-q': '$request.querystring.q',
            'overwrite:header.x-stage': '$context.stage',
            'overwrite:header.x-route': '$context.routeKey',
            'overwrite:header.x-color': '$stageVariables.color',
            'overwrite:header.x-static': 'static text',
            'overwrite:header.x-combo': '${request.path.id}-${context.httpMethod}-${request.header.x-missing}',
            'overwrite:header.x-path': '$request.path',
            'remove:header.x-secret': "''",
            'append:querystring.q': 'extra',
            'overwrite:querystring.stage': '$context.stage',
            'remove:querystring.drop': "''",
          },
        },
      },
      {
        routeKey: 'POST /created',
        integration: {
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'ANY',
          IntegrationUri: `${backend.url}/created`,
          PayloadFormatVersion: '1.0',
          ResponseParameters: {
            201: {
              'overwrite:statuscode': '202',
              'append:header.x-backend': 'and-more',
              'overwrite:header.x-item': '$response.body.id',
              'overwrite:header.x-copied': '$response.header.x-backend',
              'remove:header.content-type': "''",
            },
          },
        },
      },
      {
        routeKey: 'GET /files/{proxy+}',
        integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://${stageVariables.host}/store/{proxy}', PayloadFormatVersion: '1.0' },
      },
      {
        routeKey: 'GET /as-post',
        integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'POST', IntegrationUri: `${backend.url}/posted`, PayloadFormatVersion: '1.0' },
      },
      {
        routeKey: 'GET /down',
        integration: { IntegrationType: 'HTTP_PROXY', IntegrationMethod: 'GET', IntegrationUri: 'http://127.0.0.1:9/nothing', PayloadFormatVersion: '1.0' },
      },
    ],
  });
  url = running.apis[0].stageUrls.prod;
});
afterAll(async () => {
  await running?.stop();
  await backend?.close();
});

test('request parameters: every source and modifier reaches the backend as mapped', async () => {
  backend.received.length = 0;
  const body = JSON.stringify({ order: { items: [{ sku: 'book-dune' }] } });
  const reply = await send(`${url}/items/42?q=first&drop=me&keep=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-in': ['one', 'two'], 'x-secret': 'hidden' },
    body,
  });
  expect(reply.status).toBe(200);
  const [r] = backend.received;
  expect(r.method).toBe('POST');
  expect(r.url).toBe('/backend/42?q=first&keep=1&q=extra&stage=prod');
  expect(r.body).toBe(body);
  expect(r.headers).toMatchObject({
    // Two values of a header arrive comma-joined; append adds to them.
    'x-in': 'one,two,appended',
    'x-in-copy': 'one,two',
    'x-sku': 'book-dune',
    'x-order': '{"items":[{"sku":"book-dune"}]}',
    'x-whole': body,
    'x-q': 'first',
    'x-stage': 'prod',
    'x-route': 'POST /items/{id}',
    'x-color': 'blue',
    'x-static': 'static text',
    'x-combo': '42-POST-',
    'x-path': '/items/42',
  });
  expect(r.headers['x-secret']).toBeUndefined();
  expect(r.headers.host).toBe(backend.url.replace('http://', ''));
});

test('response parameters: status code and headers mapped for the status the backend gave', async () => {
  const reply = await send(`${url}/created`, { method: 'POST', body: '{}' });
  expect(reply.status).toBe(202);
  expect(reply.headers).toMatchObject({ 'x-backend': 'b1,and-more', 'x-item': 'item-9', 'x-copied': 'b1' });
  expect(reply.headers['content-type']).toBeUndefined();
  expect(reply.json()).toEqual({ id: 'item-9', seen: '/created' });
});

test('a URL integration fills ${stageVariables.x} and the greedy {proxy} into its URI, and keeps the query', async () => {
  backend.received.length = 0;
  const reply = await send(`${url}/files/a/b%20c.txt?v=2`);
  expect(reply.status).toBe(200);
  expect(backend.received.map((r) => r.url)).toEqual(['/store/a/b%20c.txt?v=2']);
});

test('the query string reaches the backend as the client sent it, byte for byte', async () => {
  backend.received.length = 0;
  await send(`${url}/files/x?ids=1,2&flag&q=a+b&arn=arn:aws:x&e=%2F`);
  expect(backend.received.map((r) => r.url)).toEqual(['/store/x?ids=1,2&flag&q=a+b&arn=arn:aws:x&e=%2F']);
});

test('a non-ANY IntegrationMethod is the method the backend is called with', async () => {
  backend.received.length = 0;
  await send(`${url}/as-post`);
  expect(backend.received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /posted']);
});

test('a backend that cannot be reached: 503 {"message":"Service Unavailable"}', async () => {
  const reply = await send(`${url}/down`);
  expect([reply.status, reply.json()]).toEqual([503, { message: 'Service Unavailable' }]);
});
