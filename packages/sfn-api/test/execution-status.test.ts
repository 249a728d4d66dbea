// The shipped execution-status bundle against a Step Functions endpoint on
// loopback speaking its JSON 1.0 wire format (X-Amz-Target, __type errors).
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';

const MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders';
const asked: string[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const target = req.headers['x-amz-target'];
    const { executionArn } = JSON.parse(body);
    asked.push(`${target} ${executionArn}`);
    res.setHeader('content-type', 'application/x-amz-json-1.0');
    if (executionArn.endsWith(':order-42')) {
      res.writeHead(200).end(JSON.stringify({
        executionArn,
        stateMachineArn: MACHINE,
        name: 'order-42',
        status: 'SUCCEEDED',
        startDate: 1764115200,
        stopDate: 1764115230,
        output: '{"total":2848}',
      }));
    } else {
      res.writeHead(400).end(JSON.stringify({ __type: 'com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist', message: `Execution Does Not Exist: '${executionArn}'` }));
    }
  });
});

let handler: (event: unknown) => Promise<{ statusCode: number; body: string }>;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    STATE_MACHINE_ARN: MACHINE,
    AWS_ENDPOINT_URL_SFN: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  handler = require(join(__dirname, '..', 'assets', 'execution-status', 'index.js')).handler;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const get = (name: string) => handler({ pathParameters: { name } });

test('200 with the status of an execution of the Standard machine, by name', async () => {
  const response = await get('order-42');
  expect(response.statusCode).toBe(200);
  expect(JSON.parse(response.body)).toEqual({
    name: 'order-42',
    executionArn: 'arn:aws:states:us-east-1:123456789012:execution:Orders:order-42',
    status: 'SUCCEEDED',
    startDate: '2025-11-26T00:00:00.000Z',
    stopDate: '2025-11-26T00:00:30.000Z',
    output: { total: 2848 },
  });
  expect(asked).toContain('AWSStepFunctions.DescribeExecution arn:aws:states:us-east-1:123456789012:execution:Orders:order-42');
});

test('404 for an execution that does not exist, 400 for a name Step Functions would not accept', async () => {
  const missing = await get('order-0');
  expect([missing.statusCode, JSON.parse(missing.body)]).toEqual([404, { message: 'execution order-0: not found' }]);
  const bad = await get('../other:machine');
  expect([bad.statusCode, JSON.parse(bad.body)]).toEqual([400, { message: 'name: 1 to 80 of letters, digits, "_" and "-"' }]);
});
