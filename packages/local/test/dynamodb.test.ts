import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { createTable, startDynamoDb } from '../src/services/dynamodb';

test('dynalite on loopback: a table with a room index answers queries on it', async () => {
  const db = await startDynamoDb();
  try {
    expect(db.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await createTable(db.client, 'Connections', 'connectionId', [{ name: 'byRoom', partitionKey: 'room', sortKey: 'connectionId' }]);
    for (const [id, room] of [['a', 'red'], ['b', 'red'], ['c', 'blue']]) {
      await db.client.send(new PutItemCommand({ TableName: 'Connections', Item: { connectionId: { S: id }, room: { S: room } } }));
    }
    const red = await db.client.send(new QueryCommand({
      TableName: 'Connections', IndexName: 'byRoom', KeyConditionExpression: 'room = :r', ExpressionAttributeValues: { ':r': { S: 'red' } },
    }));
    expect(red.Items?.map((i) => i.connectionId.S).sort()).toEqual(['a', 'b']);
  } finally {
    await db.stop();
  }
});
