import { send } from './client';
import { serveFixture } from './fixture';
import { RunningStack } from '../src/runner/serve-options';

// A page open in the developer's browser sends Origin (and Sec-Fetch-Site); handlers and the SDKs send neither.
let running: RunningStack;
let unemulated: string;
beforeAll(async () => {
  running = await serveFixture({ functions: { Echo: { source: 'exports.handler = async () => process.env.AWS_ENDPOINT_URL;' } } });
  // The catch-all's URL, as a function sees it.
  const outcome = await running.pool.invoke(running.functions[0].arn, {});
  unemulated = String(outcome.ok && outcome.payload);
});
afterAll(() => running?.stop());

const SERVICES = ['DynamoDB (dynalite)', 'Step Functions', 'the catch-all of services not emulated'];
const service = (name: string) => [
  ['DynamoDB (dynalite)', running.dynamoDbEndpoint, 'DynamoDB_20120810.ListTables'],
  ['Step Functions', running.stepFunctionsEndpoint, 'AWSStepFunctions.DescribeExecution'],
  ['the catch-all of services not emulated', unemulated, 'AmazonSQS.ListQueues'],
].find(([n]) => n === name)!;

test.each(SERVICES)('%s: a CORS preflight from a page is refused with 403 and no Access-Control-Allow-Origin', async (name) => {
  const [, endpoint] = service(name);
  const reply = await send(`${endpoint}/`, {
    method: 'OPTIONS',
    headers: { 'origin': 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-amz-target,content-type' },
  });
  expect([reply.status, reply.headers['access-control-allow-origin'], reply.headers['x-amzn-errortype']]).toEqual([403, undefined, 'AccessDeniedException']);
});

test.each(SERVICES)('%s: a simple request from a page (Origin, or Sec-Fetch-Site: cross-site) is refused; the same without them is served', async (name) => {
  const [, endpoint, target] = service(name);
  const call = (headers: Record<string, string>) => send(`${endpoint}/`, {
    method: 'POST', body: '{}', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target, ...headers },
  });
  const pages: Array<Record<string, string>> = [{ origin: 'null' }, { 'sec-fetch-site': 'cross-site' }];
  for (const page of pages) {
    const refused = await call(page);
    expect([refused.status, refused.json().__type]).toEqual([403, 'AccessDeniedException']);
  }
  // What the service answers an SDK: not a refusal (dynalite wants a signature, Step Functions an ARN, the catch-all says 501).
  expect((await call({})).status).not.toBe(403);
});
