import { App, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { send } from './client';
import { tempDir } from './temp-dirs';
import { RunningStack } from '../src/runner/serve-options';
import { serveStacks } from '../src/runner/serve-stack';

// Several stacks in one runner, as an integ test's stacks deploy together: a
// table in one, the API and function that use it (through the CDK's own
// cross-stack export and Fn::ImportValue) in another.

const PUT = `const { DynamoDBClient, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const db = new DynamoDBClient({});
exports.handler = async () => {
  await db.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { id: { S: 'one' } } }));
  const item = await db.send(new GetItemCommand({ TableName: process.env.TABLE, Key: { id: { S: 'one' } } }));
  return { statusCode: 200, body: JSON.stringify({ table: process.env.TABLE, stored: item.Item !== undefined }) };
};`;

function twoStacks(): string {
  const outdir = tempDir();
  const app = new App({ outdir });
  const data = new Stack(app, 'Data', { env: { region: 'eu-west-1' } });
  const table = new Table(data, 'Books', { partitionKey: { name: 'id', type: AttributeType.STRING } });
  const front = new Stack(app, 'Front', { env: { region: 'eu-west-1' } });
  const fn = new LambdaFunction(front, 'Put', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline(PUT), environment: { TABLE: table.tableName } });
  table.grantReadWriteData(fn);
  new HttpApi(front, 'Api').addRoutes({ path: '/put', methods: [HttpMethod.POST], integration: new HttpLambdaIntegration('Put', fn) });
  app.synth();
  return outdir;
}

let running: RunningStack;
const lines: string[] = [];
beforeAll(async () => {
  running = await serveStacks({ source: twoStacks(), port: 0, log: (line) => lines.push(line) });
}, 120_000);
afterAll(() => running?.stop());

test('every stack of the assembly is served; an import resolves to what the other stack exports', async () => {
  expect(running.stacks.map((s) => s.displayName).sort()).toEqual(['Data', 'Front']);
  const reply = await send(`${running.apis[0].stageUrls.$default}/put`, { method: 'POST' });
  expect(reply.status).toBe(200);
  expect(reply.json()).toEqual({ table: running.tables[0].table.name, stored: true });
  expect(running.unresolved).toEqual([]);
});

test('serving one stack alone leaves the import unresolved, and says so', async () => {
  // Named twice (by name and by artifact id): served once.
  const alone = await serveStacks({ source: twoStacks(), stacks: ['Front', 'Front'], port: 0, log: () => undefined });
  try {
    expect(alone.stacks.map((s) => s.displayName)).toEqual(['Front']);
    expect(alone.unresolved).toEqual([expect.objectContaining({ why: expect.stringMatching(/^Fn::ImportValue Data:ExportsOutputRef.*: no stack the runner serves exports it$/) })]);
  } finally {
    await alone.stop();
  }
});
