import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number }) => Server;

/** An in-process DynamoDB (dynalite) listening on loopback. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  readonly endpoint: string;
  /** A client pointed at it, with dummy credentials. */
  readonly client: DynamoDBClient;
  /** Closes the client and the server. */
  stop(): Promise<void>;
}

/** Starts dynalite on a free loopback port. */
export async function startDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A global secondary index of string keys, projecting the keys only. */
export interface LocalIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
}

/** Creates an on-demand table whose partition key is the string attribute `key`, with `indexes`. */
export async function createTable(client: DynamoDBClient, name: string, key: string, indexes: LocalIndex[] = []): Promise<void> {
  const attributes = new Set([key, ...indexes.flatMap((i) => (i.sortKey ? [i.partitionKey, i.sortKey] : [i.partitionKey]))]);
  await client.send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [...attributes].map((a) => ({ AttributeName: a, AttributeType: 'S' as const })),
    KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    GlobalSecondaryIndexes: indexes.length ? indexes.map((i) => ({
      IndexName: i.name,
      KeySchema: [{ AttributeName: i.partitionKey, KeyType: 'HASH' as const }, ...(i.sortKey ? [{ AttributeName: i.sortKey, KeyType: 'RANGE' as const }] : [])],
      Projection: { ProjectionType: 'KEYS_ONLY' as const },
    })) : undefined,
  }));
}
