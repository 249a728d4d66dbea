import { send } from './client';
import { ECHO_HANDLER, writeAssembly } from './fixture';
import { RunningStack } from '../src/runner/serve-options';
import { serveStack } from '../src/runner/serve-stack';

// Each route answers with its own name, so a test sees which route matched.
const named = (name: string) => `exports.handler = async (event) => ({ statusCode: 200, body: ${JSON.stringify(name)} + ' ' + JSON.stringify(event.pathParameters ?? {}) });`;

describe('routing, as API Gateway selects the route (http-api-develop-routes)', () => {
  let running: RunningStack;
  let base: string;
  const quiet = () => undefined;
  beforeAll(async () => {
    const keys = ['GET /books', 'GET /books/{id}', 'GET /books/featured', 'ANY /books/{id}', 'GET /files/{proxy+}', 'ANY /{proxy+}', '$default', 'GET /a/{x}/c', 'GET /a/b/{y}'];
    const functions = Object.fromEntries(keys.map((k, i) => [`Fn${i}`, { source: named(k) }]));
    running = await serveStack({
      source: writeAssembly({ functions, routes: keys.map((routeKey, i) => ({ routeKey, fn: `Fn${i}` })) }),
      port: 0,
      log: quiet,
    });
    base = Object.values(running.apis[0].stageUrls)[0];
  });
  afterAll(() => running.stop());

  test.each([
    ['GET', '/books', 'GET /books {}'],
    ['GET', '/books/featured', 'GET /books/featured {}'],
    ['GET', '/books/42', 'GET /books/{id} {"id":"42"}'],
    ['DELETE', '/books/42', 'ANY /books/{id} {"id":"42"}'],
    ['GET', '/books/a%20b%2Fc', 'GET /books/{id} {"id":"a b/c"}'],
    ['GET', '/files/x/y/z.txt', 'GET /files/{proxy+} {"proxy":"x/y/z.txt"}'],
    ['POST', '/files/x', 'ANY /{proxy+} {"proxy":"files/x"}'],
    ['GET', '/a/b/c', 'GET /a/b/{y} {"y":"c"}'],
    ['GET', '/', '$default {}'],
  ])('%s %s goes to %s', async (method, path, expected) => {
    const reply = await send(`${base}${path}`, { method });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(expected);
  });
});

describe('answers of the API itself', () => {
  let running: RunningStack;
  const lines: string[] = [];
  const quiet = (line: string) => lines.push(line);
  beforeAll(async () => {
    running = await serveStack({
      source: writeAssembly({
        functions: { Echo: { source: ECHO_HANDLER } },
        routes: [
          { routeKey: 'POST /echo', fn: 'Echo' },
          { routeKey: 'GET /sqs', integration: { IntegrationType: 'AWS_PROXY', IntegrationSubtype: 'SQS-SendMessage', PayloadFormatVersion: '1.0' } },
        ],
        stages: [{ name: 'prod', variables: { color: 'blue' } }],
      }),
      port: 0,
      log: quiet,
    });
  });
  afterAll(() => running.stop());

  test('a named stage is the first path segment; without it, no stage matches: 404 {"message":"Not Found"}', async () => {
    const url = running.apis[0].stageUrls.prod;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/prod$/);
    const ok = await send(`${url}/echo`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } });
    expect(ok.status).toBe(200);
    expect(ok.json()).toMatchObject({ rawPath: '/prod/echo', requestContext: { stage: 'prod' }, stageVariables: { color: 'blue' } });
    const noStage = await send(`${url.replace('/prod', '')}/echo`, { method: 'POST' });
    expect(noStage.status).toBe(404);
    expect(noStage.json()).toEqual({ message: 'Not Found' });
    expect(noStage.headers['content-type']).toBe('application/json');
  });

  test('no route: 404 {"message":"Not Found"} (a method the route lacks, an unknown path)', async () => {
    const url = running.apis[0].stageUrls.prod;
    for (const [method, path] of [['GET', '/echo'], ['GET', '/nothing/here']]) {
      const reply = await send(`${url}${path}`, { method });
      expect([reply.status, reply.json()]).toEqual([404, { message: 'Not Found' }]);
    }
  });

  test('a body over 10 MB: 413 {"message":"Request Entity Too Large"} from the API itself, before any invocation (Lambda\'s own 6 MB limit is in function-code.test)', async () => {
    const url = running.apis[0].stageUrls.prod;
    const before = lines.length;
    const reply = await send(`${url}/echo`, { method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 97), headers: { 'content-type': 'text/plain' } });
    expect([reply.status, reply.json()]).toEqual([413, { message: 'Request Entity Too Large' }]);
    // The pool never saw it: no event was refused at Lambda's limit.
    expect(lines.slice(before).filter((l) => l.includes('not invoked'))).toEqual([]);
    expect(lines.slice(before)).toContainEqual(expect.stringMatching(/^POST \/prod\/echo -> 413 /));
  });

  test('integrations the runner does not emulate: 501 naming them, and listed at startup', async () => {
    const url = running.apis[0].stageUrls.prod;
    const sqs = await send(`${url}/sqs`);
    expect([sqs.status, sqs.json()]).toEqual([501, { message: 'Not Implemented: integration subtype SQS-SendMessage' }]);
    expect(running.notEmulated).toEqual(expect.arrayContaining([{ what: 'integration subtype SQS-SendMessage', where: 'GET /sqs' }]));
  });

  test('every response carries an apigw-requestid header', async () => {
    const reply = await send(`${running.apis[0].stageUrls.prod}/nothing`);
    expect(reply.headers['apigw-requestid']).toMatch(/^[A-Za-z0-9+/]{15}=$/);
  });
});
