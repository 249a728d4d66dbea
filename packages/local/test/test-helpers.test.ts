import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { tempDir } from './temp-dirs';
import { synthMessages } from '../src/assembly/synth-messages';
import { createTable, startDynamoDb } from '../src/services/dynamodb';
import { startRecordingProxy } from '../src/services/recording-proxy';

// What the other packages' tests lean on: they must be able to fail.
test('synthMessages lists warnings and errors from inline metadata and from additionalMetadataFile, not info', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    version: '53.0.0',
    artifacts: {
      Inline: { type: 'aws:cloudformation:stack', metadata: { '/Inline/Fn': [{ type: 'aws:cdk:warning', data: 'careful' }, { type: 'aws:cdk:info', data: 'fyi' }] } },
      InFile: { type: 'aws:cloudformation:stack', additionalMetadataFile: 'InFile.metadata.json' },
      Clean: { type: 'aws:cloudformation:stack' },
    },
  }));
  writeFileSync(join(dir, 'InFile.metadata.json'), JSON.stringify({ '/InFile/Service': [{ type: 'aws:cdk:error', data: 'broken' }] }));
  expect(synthMessages(dir)).toEqual([
    { level: 'warning', path: '/Inline/Fn', text: 'careful' },
    { level: 'error', path: '/InFile/Service', text: 'broken' },
  ]);
});

test('startRecordingProxy forwards unchanged, records each call, and answers injected errors in the wire format the SDK parses', async () => {
  const db = await startDynamoDb();
  const proxy = await startRecordingProxy(db.endpoint, (call) => (call.body?.Key?.k?.S === 'denied' ? { status: 400, type: 'AccessDeniedException', message: 'no' } : undefined));
  const client = new DynamoDBClient({ endpoint: proxy.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    await createTable(db.client, 'Proxied', 'k');
    await client.send(new PutItemCommand({ TableName: 'Proxied', Item: { k: { S: 'a' }, v: { N: '1' } } }));
    expect((await client.send(new GetItemCommand({ TableName: 'Proxied', Key: { k: { S: 'a' } }, ConsistentRead: true }))).Item).toEqual({ k: { S: 'a' }, v: { N: '1' } });
    const denied = await client.send(new GetItemCommand({ TableName: 'Proxied', Key: { k: { S: 'denied' } } })).catch((e) => e);
    expect([denied.name, denied.$metadata.httpStatusCode, denied.message]).toEqual(['AccessDeniedException', 400, 'no']);
    expect(proxy.calls.map((c) => [c.target, c.body.ConsistentRead])).toEqual([
      ['DynamoDB_20120810.PutItem', undefined],
      ['DynamoDB_20120810.GetItem', true],
      ['DynamoDB_20120810.GetItem', undefined],
    ]);
  } finally {
    client.destroy();
    await proxy.stop();
    await db.stop();
  }
});
