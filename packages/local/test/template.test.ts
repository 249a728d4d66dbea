import { send } from './client';
import { serveFixture, writeAssembly } from './fixture';
import { tempDir } from './temp-dirs';
import { banner } from '../src/banner';
import { serveStack } from '../src/runner/serve-stack';

const ENV_HANDLER = 'exports.handler = async () => ({ statusCode: 200, body: JSON.stringify(process.env) });';

test('function environment: intrinsics resolved, the app\'s own execute-api URL rewritten to loopback, the unresolvable named at startup and left out', async () => {
  const lines: string[] = [];
  const running = await serveFixture({
    functions: {
      Env: {
        source: ENV_HANDLER,
        environment: {
          TABLE: { Ref: 'Table' },
          SELF: { 'Fn::Join': ['', ['https://', { Ref: 'Api' }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod']] },
          SHARED: { 'Fn::ImportValue': 'OtherStack-Shared' },
          PLAIN: 'x',
        },
      },
    },
    routes: [{ routeKey: 'GET /env', fn: 'Env' }],
    stages: [{ name: 'prod' }],
    resources: {
      Table: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
          LocalSecondaryIndexes: [{ IndexName: 'bySk', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'g', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
    },
  }, lines);
  try {
    const url = running.apis[0].stageUrls.prod;
    const env = (await send(`${url}/env`)).json();
    expect(env.TABLE).toBe(running.tables[0].table.name);
    expect(env.SELF).toBe(url);
    expect(env.PLAIN).toBe('x');
    expect(env).not.toHaveProperty('SHARED');
    expect(running.unresolved).toEqual([{ where: 'Env.Environment.Variables.SHARED', why: 'Fn::ImportValue OtherStack-Shared: no stack the runner serves exports it' }]);
    const startup = banner(running, {});
    expect(startup).toContain('Unresolved template values (left out, not replaced):\n  Env.Environment.Variables.SHARED: Fn::ImportValue OtherStack-Shared: no stack the runner serves exports it');
    expect(startup).toContain('(Table, created; TTL on \'expiresAt\' recorded, but dynalite does not expire items)');
    expect(running.tables[0]).toMatchObject({ outcome: 'created', table: { ttlAttribute: 'expiresAt' } });
    expect(running.tables[0].table.globalSecondaryIndexes.map((i) => i.IndexName)).toEqual(['byG']);
  } finally {
    await running.stop();
  }
});

test('--persist keeps the tables and their items across restarts', async () => {
  const persistDir = tempDir();
  const PUTS = `const { DynamoDBClient, PutItemCommand, ScanCommand } = require('@aws-sdk/client-dynamodb');
const c = new DynamoDBClient({});
exports.handler = async (e) => {
  if (e.requestContext.http.method === 'POST') await c.send(new PutItemCommand({ TableName: process.env.T, Item: { pk: { S: e.body } } }));
  const { Items } = await c.send(new ScanCommand({ TableName: process.env.T }));
  return Items.map((i) => i.pk.S).sort();
};`;
  const source = writeAssembly({
    functions: { Puts: { source: PUTS, environment: { T: { Ref: 'Table' } } } },
    routes: [{ routeKey: 'ANY /items', fn: 'Puts' }],
    resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] } },
    },
  });
  const first = await serveStack({ source, port: 0, persistDir, log: () => undefined });
  await send(`${first.apis[0].stageUrls.$default}/items`, { method: 'POST', body: 'kept', headers: { 'content-type': 'text/plain' } });
  await first.stop();
  const second = await serveStack({ source, port: 0, persistDir, log: () => undefined });
  try {
    expect(second.tables[0].outcome).toBe('kept');
    expect((await send(`${second.apis[0].stageUrls.$default}/items`)).json()).toEqual(['kept']);
  } finally {
    await second.stop();
  }
});

test('a manifest version the reader was not written for: a warning, and the stack is served', async () => {
  const lines: string[] = [];
  const running = await serveStack({ source: writeAssembly({ manifestVersion: '99.0.0', routes: [] }), port: 0, log: (l) => lines.push(l) });
  try {
    expect(lines.join('\n')).toMatch(/warning: cloud assembly version 99\.0\.0 .* written for 53\.x; reading it anyway/);
    expect(running.apis).toHaveLength(1);
  } finally {
    await running.stop();
  }
});
