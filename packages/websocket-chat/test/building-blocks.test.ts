import * as cdk from 'aws-cdk-lib';
import { App, CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations as Annotated, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { WebSocketChat, WebSocketChatStack } from '../src';

const newStack = (app = new App(), id = 'Mine') => new Stack(app, id, { env: { region: 'us-east-1' } });

/** A table as the chat needs it; `change` alters one part of it. */
interface TableChange {
  readonly partitionKey?: string;
  readonly index?: false | { partitionKey: string; sortKey?: string };
  readonly ttl?: boolean;
}

function connectionsTable(stack: Stack, change: TableChange = {}) {
  const table = new dynamodb.Table(stack, 'Connections', {
    partitionKey: { name: change.partitionKey ?? 'connectionId', type: dynamodb.AttributeType.STRING },
    timeToLiveAttribute: change.ttl === false ? undefined : 'ttl',
    encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
  });
  const index = change.index === undefined ? { partitionKey: 'room', sortKey: 'connectionId' } : change.index;
  if (index) {
    table.addGlobalSecondaryIndex({
      indexName: 'byRoom',
      partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: index.sortKey ? { name: index.sortKey, type: dynamodb.AttributeType.STRING } : undefined,
    });
  }
  return table;
}

describe('composition', () => {
  test('two chats in one stack, both asking for the account logging role: one role, one account setting, outputs of their own', () => {
    const stack = newStack();
    new WebSocketChat(stack, 'Support', { createCloudWatchRole: true });
    new WebSocketChat(stack, 'Sales', { createCloudWatchRole: true, stageName: 'live' });
    new CfnOutput(stack, 'WebSocketUrl', { value: 'wss://example.com' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const accountRoles = Object.values(template.findResources('AWS::IAM::Role'))
      .filter((r: any) => JSON.stringify(r.Properties.ManagedPolicyArns ?? []).includes('AmazonAPIGatewayPushToCloudWatchLogs'));
    expect(accountRoles).toHaveLength(1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: 'live' });
    const ids = Object.keys(template.findOutputs('*'));
    expect(ids).toHaveLength(5);
    expect(ids.filter((id) => /^Support/.test(id))).toHaveLength(2);
    expect(ids.filter((id) => /^Sales/.test(id))).toHaveLength(2);
  });

  test('two chat stacks of one app for the same account and Region cannot both set the account role', () => {
    const app = new App();
    new WebSocketChatStack(app, 'ChatA', { env: { region: 'us-east-1' }, chat: { createCloudWatchRole: true } });
    new WebSocketChatStack(app, 'ChatB', { env: { region: 'us-east-1' } });
    expect(() => new WebSocketChatStack(app, 'ChatC', { env: { region: 'us-east-1' }, chat: { createCloudWatchRole: true } }))
      .toThrow(/createCloudWatchRole: ChatA\/ApiGatewayAccountCloudWatchRole already sets the API Gateway CloudWatch Logs role/);
  });

  test('WebSocketChatStack keeps the documented output names', () => {
    const outputs = Template.fromStack(new WebSocketChatStack(new App(), 'Chat', { env: { region: 'us-east-1' } })).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['TableName', 'WebSocketCallbackUrl', 'WebSocketUrl']);
  });
});

describe('existingTable', () => {
  test('is used as given: no new table, the routes name it, its key is granted to the writers', () => {
    const stack = newStack();
    const table = connectionsTable(stack);
    const chat = new WebSocketChat(stack, 'Chat', { existingTable: table });
    expect(chat.table).toBe(table);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    const tableRef = { 'Fn::GetAtt': [stack.getLogicalId(table.node.defaultChild as dynamodb.CfnTable), 'Arn'] };
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements).toContainEqual(expect.objectContaining({ Action: 'dynamodb:UpdateItem', Resource: tableRef }));
    const keyRef = JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(table.encryptionKey!.node.defaultChild as kms.CfnKey), 'Arn'] });
    // The roles whose policies may use the key: $connect's and $disconnect's integration roles, join's and sendmessage's.
    const rolesWithKey = Object.entries(template.findResources('AWS::IAM::Policy'))
      .filter(([, p]: [string, any]) => p.Properties.PolicyDocument.Statement
        .some((st: any) => JSON.stringify(st.Resource) === keyRef && ['kms:Decrypt', 'kms:Encrypt'].every((a) => [st.Action].flat().includes(a))))
      .flatMap(([, p]: [string, any]) => p.Properties.Roles.map((r: any) => r.Ref as string));
    const roleOf = (fn: lambda.Function) => stack.getLogicalId(fn.role!.node.defaultChild as cdk.CfnElement);
    expect(rolesWithKey).toEqual(expect.arrayContaining([roleOf(chat.joinFunction), roleOf(chat.sendMessageFunction)]));
    expect(rolesWithKey).not.toContain(roleOf(chat.defaultFunction));
    expect(rolesWithKey.filter((r) => /connect/i.test(r))).toHaveLength(2);
    expect(rolesWithKey).toHaveLength(4);
    expect(Annotated.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('a table without a customer-managed key: no KMS statement at all', () => {
    const stack = newStack();
    const table = new dynamodb.Table(stack, 'Plain', { partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING }, timeToLiveAttribute: 'ttl' });
    table.addGlobalSecondaryIndex({
      indexName: 'byRoom',
      partitionKey: { name: 'room', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
    });
    new WebSocketChat(stack, 'Chat', { existingTable: table });
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    expect(statements.filter((st: any) => JSON.stringify(st.Action).includes('kms:'))).toEqual([]);
  });

  test.each([
    ['another partition key', { partitionKey: 'id' }, /existingTable: items are keyed by a string partition key 'connectionId' alone; this table has partition key 'id' \(S\)/],
    ['no room index', { index: false as const }, /existingTable: rooms are read through a global secondary index 'byRoom' .*; this table has none\. Fix: add it with table\.addGlobalSecondaryIndex/],
    ['a room index without the sort key', { index: { partitionKey: 'room' } }, /this table's has partition key 'room' \(S\) and sort key none/],
    ['a room index on another attribute', { index: { partitionKey: 'channel', sortKey: 'connectionId' } }, /this table's has partition key 'channel' \(S\)/],
  ])('a Table with %s fails at synth, naming existingTable', (_name, change, message) => {
    const stack = newStack();
    expect(() => new WebSocketChat(stack, 'Chat', { existingTable: connectionsTable(stack, change) })).toThrow(message);
  });

  test('a Table without TTL on ttl is a warning; removalPolicy with existingTable is an error; an imported table is not checked', () => {
    const stack = newStack();
    new WebSocketChat(stack, 'Chat', { existingTable: connectionsTable(stack, { ttl: false }) });
    expect(Annotated.fromStack(stack).findWarning('/Mine/Chat', Match.stringLikeRegexp("existingTable has no TTL on 'ttl'"))).toHaveLength(1);

    const other = newStack(new App(), 'Other');
    expect(() => new WebSocketChat(other, 'Chat', { existingTable: connectionsTable(other), removalPolicy: RemovalPolicy.RETAIN }))
      .toThrow(/^\[WebSocketChat\] removalPolicy: applies to a table this construct creates, and existingTable was given\. Fix: /);
    const imported = newStack(new App(), 'Imported');
    expect(() => new WebSocketChat(imported, 'Chat', { existingTable: dynamodb.Table.fromTableName(imported, 'T', 'connections') })).not.toThrow();
  });
});

describe('functions', () => {
  test('the options reach join, sendmessage and $default', () => {
    const stack = newStack();
    new WebSocketChat(stack, 'Chat', {
      functions: { memorySize: 512, timeout: Duration.seconds(29), reservedConcurrentExecutions: 3, environment: { MOTD: 'hi' }, applicationLogLevel: lambda.ApplicationLogLevel.DEBUG },
    });
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((r: any) => r.Properties);
    expect(functions).toHaveLength(3);
    for (const fn of functions) {
      expect(fn).toMatchObject({
        MemorySize: 512,
        Timeout: 29,
        ReservedConcurrentExecutions: 3,
        Environment: { Variables: { MOTD: 'hi' } },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG' },
      });
    }
  });

  test('a timeout over the WebSocket integration limit (29 s) fails at synth', () => {
    expect(() => new WebSocketChat(newStack(), 'Chat', { functions: { timeout: Duration.seconds(30) } }))
      .toThrow(/^\[WebSocketChat\] functions\.timeout: 30 seconds is outside 1 second to 29 seconds, the most the API waits for this function\./);
  });
});
