import { Server } from 'node:http';
import { CreateTableCommand, CreateTableCommandInput, DynamoDBClient, ListTablesCommand, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import { refuseWebPages } from './browser-requests';
import { closeServer, listenOnLoopback } from './loopback';
import { TableModel } from '../model/tables';

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: { createTableMs: number; path?: string }) => Server;

/** An in-process DynamoDB (dynalite) listening on loopback. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`, for `AWS_ENDPOINT_URL_DYNAMODB` or a client's `endpoint`. */
  readonly endpoint: string;
  /** A client pointed at it, with dummy credentials. */
  readonly client: DynamoDBClient;
  /** Closes the client and the server. */
  stop(): Promise<void>;
}

/** Options of the embedded DynamoDB. */
export interface DynamoDbOptions {
  /** Keep the data in this folder (LevelDB) across restarts. @default in memory */
  readonly persistDir?: string;
}

/** Starts dynalite on a free loopback port. */
export async function startDynamoDb(options: DynamoDbOptions = {}): Promise<LocalDynamoDb> {
  // Tables become ACTIVE at once: the runner and tests need not poll DescribeTable.
  const server = dynalite({ createTableMs: 0, path: options.persistDir });
  // dynalite answers any page's CORS preflight with `*`: a page in the developer's browser could use the tables.
  refuseWebPages(server);
  const endpoint = `http://127.0.0.1:${await listenOnLoopback(server, 0)}`;
  // Every setting the SDK would otherwise take from the user's shared config (a FIPS or dual-stack
  // endpoint is refused with a custom one) is given here.
  const client = new DynamoDBClient({
    endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, useFipsEndpoint: false, useDualstackEndpoint: false,
  });
  // dynalite opens its store on first use: use it now, so a persisted store is held (and locked) from startup on.
  if (options.persistDir) await client.send(new ListTablesCommand({ Limit: 1 }));
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      // dynalite's close also closes its LevelDB store (and lets a later --persist run open it).
      await closeServer(server);
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

/** What happened to one template table at startup. */
export interface TableCreation {
  readonly table: TableModel;
  /** `created`, or `kept` when `--persist` already held it. */
  readonly outcome: 'created' | 'kept';
}

/**
 * Creates the template's tables as CloudFormation would (keys, attribute
 * definitions, indexes with their projections). A table already there (kept
 * by `--persist`) is left as it is.
 */
export async function createTemplateTables(client: DynamoDBClient, tables: TableModel[]): Promise<TableCreation[]> {
  const results: TableCreation[] = [];
  for (const table of tables) {
    // dynalite insists on throughput for PROVISIONED tables; its value does not matter locally.
    const throughput = table.provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : { BillingMode: 'PAY_PER_REQUEST' as const };
    const input: CreateTableCommandInput = {
      TableName: table.name,
      KeySchema: table.keySchema,
      AttributeDefinitions: table.attributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
      ...throughput,
      GlobalSecondaryIndexes: table.globalSecondaryIndexes.length
        ? table.globalSecondaryIndexes.map((i) => ({ ...i, ...(table.provisioned ? { ProvisionedThroughput: throughput.ProvisionedThroughput } : {}) })) as CreateTableCommandInput['GlobalSecondaryIndexes']
        : undefined,
      LocalSecondaryIndexes: table.localSecondaryIndexes.length ? table.localSecondaryIndexes as CreateTableCommandInput['LocalSecondaryIndexes'] : undefined,
    };
    try {
      await client.send(new CreateTableCommand(input));
      results.push({ table, outcome: 'created' });
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      results.push({ table, outcome: 'kept' });
    }
  }
  return results;
}
