import { createTable, startDynamoDb } from '@apigw-blueprints/local';
import { GetItemCommand, PutItemCommand, DeleteItemCommand } from '@aws-sdk/client-dynamodb';
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { render } from 'velocityjs';
import { WebSocketDynamoDbAction, WebSocketDynamoDbIntegration, WebSocketDynamoDbIntegrationProps } from '../../src';
import { newStack, propertiesOf, statementsOf } from '../helpers';

const TABLE = 'Connections';

function connectionsTable(stack: Stack, props: Partial<dynamodb.TableProps> = {}) {
  return new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING }, ...props });
}

/** Synthesizes a $connect or $disconnect route and returns its request template, with the table name filled in. */
function templateFor(props: Omit<WebSocketDynamoDbIntegrationProps, 'table'>): { template: string; stack: Stack } {
  const stack = newStack();
  const table = connectionsTable(stack);
  const routeKey = props.action === WebSocketDynamoDbAction.PUT_ITEM ? '$connect' : '$disconnect';
  new WebSocketApi(stack, 'Api').addRoute(routeKey, { integration: new WebSocketDynamoDbIntegration('Conn', { ...props, table }) });
  const [integration] = propertiesOf(stack, 'AWS::ApiGatewayV2::Integration');
  const joined = integration.RequestTemplates.$default;
  const template = typeof joined === 'string' ? joined : joined['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : TABLE)).join('');
  return { template, stack };
}

const context = (requestTimeEpoch: number, connectionId = 'L0SM9cOFvHcCIhw=') => ({ context: { requestTimeEpoch, connectionId } });

describe('WebSocketDynamoDbIntegration', () => {
  test('PUT_ITEM: an AWS integration to dynamodb:action/PutItem with a role allowed PutItem on the table only', () => {
    const { stack } = templateFor({ action: WebSocketDynamoDbAction.PUT_ITEM });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS',
      IntegrationMethod: 'POST',
      PassthroughBehavior: 'NEVER',
      TemplateSelectionExpression: '\\$default',
    });
    const uri = JSON.stringify(propertiesOf(stack, 'AWS::ApiGatewayV2::Integration')[0].IntegrationUri);
    expect(uri).toContain(':apigateway:us-east-1:dynamodb:action/PutItem');
    expect(statementsOf(stack)).toEqual([{ Sid: 'AllowDynamoDbPutItem', Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] } }]);
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } });
  });

  test('DELETE_ITEM: DeleteItem only', () => {
    const { stack } = templateFor({ action: WebSocketDynamoDbAction.DELETE_ITEM });
    expect(statementsOf(stack).map((s) => s.Action)).toEqual(['dynamodb:DeleteItem']);
  });

  test('the PutItem template renders an item whose ttl is an integer of epoch SECONDS (+2 h by default)', () => {
    const { template } = templateFor({ action: WebSocketDynamoDbAction.PUT_ITEM, staticAttributes: { room: 'general' } });
    const ms = 1_764_000_123_987;
    const request = JSON.parse(render(template, context(ms)));
    expect(request).toEqual({
      TableName: TABLE,
      Item: {
        connectionId: { S: 'L0SM9cOFvHcCIhw=' },
        connectedAt: { N: String(ms) },
        ttl: { N: String(Math.floor(ms / 1000) + 7200) },
        room: { S: 'general' },
      },
    });
    expect(request.Item.ttl.N).toMatch(/^\d{10}$/);
  });

  test('ttlHours sets the expiry; 0 writes no ttl', () => {
    const ms = 1_764_000_000_500;
    const six = JSON.parse(render(templateFor({ action: WebSocketDynamoDbAction.PUT_ITEM, ttlHours: 6 }).template, context(ms)));
    expect(six.Item.ttl).toEqual({ N: String(1_764_000_000 + 6 * 3600) });
    const none = JSON.parse(render(templateFor({ action: WebSocketDynamoDbAction.PUT_ITEM, ttlHours: 0 }).template, context(ms)));
    expect(none.Item.ttl).toBeUndefined();
  });

  test.each([-1, 1.5])('ttlHours %d fails at synth', (ttlHours) => {
    const stack = newStack();
    expect(() => new WebSocketDynamoDbIntegration('C', { table: connectionsTable(stack), action: WebSocketDynamoDbAction.PUT_ITEM, ttlHours }))
      .toThrow(/\[WebSocketDynamoDbIntegration\] ttlHours: .* is not a whole number of hours/);
  });

  test('the rendered requests are accepted by DynamoDB (dynalite): connect writes the item, disconnect deletes it', async () => {
    const db = await startDynamoDb();
    try {
      await createTable(db.client, TABLE, 'connectionId');
      const ms = Date.now();
      const put = JSON.parse(render(templateFor({ action: WebSocketDynamoDbAction.PUT_ITEM, staticAttributes: { room: 'general' } }).template, context(ms, 'abc123=')));
      await db.client.send(new PutItemCommand(put));
      const key = { connectionId: { S: 'abc123=' } };
      const stored = await db.client.send(new GetItemCommand({ TableName: TABLE, Key: key }));
      expect(stored.Item).toEqual({
        connectionId: { S: 'abc123=' },
        room: { S: 'general' },
        connectedAt: { N: String(ms) },
        ttl: { N: String(Math.floor(ms / 1000) + 7200) },
      });

      const del = JSON.parse(render(templateFor({ action: WebSocketDynamoDbAction.DELETE_ITEM }).template, context(ms, 'abc123=')));
      await db.client.send(new DeleteItemCommand(del));
      expect((await db.client.send(new GetItemCommand({ TableName: TABLE, Key: key }))).Item).toBeUndefined();
    } finally {
      await db.stop();
    }
  });

  test('a table with a customer-managed key: the role may also use that key', () => {
    const stack = newStack();
    const table = connectionsTable(stack, { encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: new kms.Key(stack, 'Key') });
    new WebSocketApi(stack, 'Api').addRoute('$connect', { integration: new WebSocketDynamoDbIntegration('C', { table, action: WebSocketDynamoDbAction.PUT_ITEM }) });
    const kmsStatement = statementsOf(stack).find((s) => JSON.stringify(s.Action).includes('kms:'));
    expect(kmsStatement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] });
  });

  test('custom attribute names, a caller\'s role and a timeout all reach the template and the integration', () => {
    const stack = newStack();
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    new WebSocketApi(stack, 'Api').addRoute('$connect', {
      integration: new WebSocketDynamoDbIntegration('Conn', {
        table,
        action: WebSocketDynamoDbAction.PUT_ITEM,
        partitionKeyName: 'id',
        connectedAtAttributeName: 'since',
        ttlAttributeName: 'expiresAt',
        credentialsRole: role,
        timeout: Duration.seconds(5),
      }),
    });
    const [integration] = propertiesOf(stack, 'AWS::ApiGatewayV2::Integration');
    expect(integration.TimeoutInMillis).toBe(5000);
    expect(integration.CredentialsArn).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Mine/), 'Arn'] });
    expect(propertiesOf(stack, 'AWS::IAM::Role')).toHaveLength(1);
    const template = integration.RequestTemplates.$default['Fn::Join'][1].map((p: unknown) => (typeof p === 'string' ? p : TABLE)).join('');
    const ms = 1_764_000_000_000;
    expect(JSON.parse(render(template, context(ms, 'c1='))).Item).toEqual({
      id: { S: 'c1=' },
      since: { N: String(ms) },
      expiresAt: { N: String(1_764_000_000 + 7200) },
    });
  });

  test.each([
    ['a value with ##', { room: 'lobby ## x' }, "staticAttributes.room: 'lobby ## x' contains '$' or '#'"],
    ['a value with $', { room: '$context.connectionId' }, "staticAttributes.room: '$context.connectionId' contains '$' or '#'"],
    ['a name with #set', { '#set($x = 1)': 'a' }, "staticAttributes name '#set($x = 1)': '#set($x = 1)' contains '$' or '#'"],
    ['a name equal to the key', { connectionId: 'a' }, "staticAttributes: 'connectionId' is also the partitionKeyName, so the item would name it twice"],
    ['a name equal to connectedAt', { connectedAt: 'a' }, "staticAttributes: 'connectedAt' is also the connectedAtAttributeName"],
    ['a name equal to the TTL attribute', { ttl: 'a' }, "staticAttributes: 'ttl' is also the ttlAttributeName"],
  ])('staticAttributes with %s fails at synth, naming the prop and the fix', (_case, staticAttributes, message) => {
    const stack = newStack();
    const integration = new WebSocketDynamoDbIntegration('Conn', { table: connectionsTable(stack), action: WebSocketDynamoDbAction.PUT_ITEM, staticAttributes });
    expect(() => new WebSocketApi(stack, 'Api').addRoute('$connect', { integration })).toThrow(`[WebSocketDynamoDbIntegration] ${message}`);
  });

  test('a ttlAttributeName equal to the key fails; with ttlHours: 0 no TTL is written, so it does not clash', () => {
    const clash = newStack();
    const integration = new WebSocketDynamoDbIntegration('Conn', { table: connectionsTable(clash), action: WebSocketDynamoDbAction.PUT_ITEM, ttlAttributeName: 'connectionId' });
    expect(() => new WebSocketApi(clash, 'Api').addRoute('$connect', { integration })).toThrow(/ttlAttributeName: 'connectionId' is also the partitionKeyName/);
    const fine = newStack();
    new WebSocketApi(fine, 'Api').addRoute('$connect', {
      integration: new WebSocketDynamoDbIntegration('Conn', { table: connectionsTable(fine), action: WebSocketDynamoDbAction.PUT_ITEM, ttlAttributeName: 'connectionId', ttlHours: 0 }),
    });
  });

  test('every accepted value renders to valid JSON with the value intact (quotes, backslashes, unicode); tokens pass unchecked', () => {
    const values = ['say "hi"', 'back\\slash', 'tab\there', 'ünï 🙂', 'a,b:{c}', "it's"];
    const staticAttributes = Object.fromEntries(values.map((v, i) => [`a${i}`, v]));
    const { template } = templateFor({ action: WebSocketDynamoDbAction.PUT_ITEM, staticAttributes });
    const item = JSON.parse(render(template, context(1_764_000_000_000))).Item;
    values.forEach((v, i) => expect(item[`a${i}`]).toEqual({ S: v }));
    const stack = newStack();
    new WebSocketApi(stack, 'Api').addRoute('$connect', {
      integration: new WebSocketDynamoDbIntegration('Conn', { table: connectionsTable(stack), action: WebSocketDynamoDbAction.PUT_ITEM, staticAttributes: { region: Aws.REGION } }),
    });
    const joined = propertiesOf(stack, 'AWS::ApiGatewayV2::Integration')[0].RequestTemplates.$default['Fn::Join'][1];
    const rendered = joined.map((p: any) => (typeof p === 'string' ? p : p.Ref === 'AWS::Region' ? 'eu-west-1' : TABLE)).join('');
    expect(JSON.parse(render(rendered, context(1_764_000_000_000))).Item.region).toEqual({ S: 'eu-west-1' });
  });

  test('the literal part of a value that also holds a token is checked: \'## \' + a token fails', () => {
    const stack = newStack();
    const integration = new WebSocketDynamoDbIntegration('Conn', { table: connectionsTable(stack), action: WebSocketDynamoDbAction.PUT_ITEM, staticAttributes: { room: `## ${Aws.REGION}` } });
    expect(() => new WebSocketApi(stack, 'Api').addRoute('$connect', { integration })).toThrow(/staticAttributes\.room: .* contains '\$' or '#'/);
  });

  test.each([
    ['partitionKeyName', { partitionKeyName: '$id' }],
    ['connectedAtAttributeName', { connectedAtAttributeName: 'at#' }],
    ['ttlAttributeName', { ttlAttributeName: '$ttl' }],
  ])('%s with $ or # fails at synth', (prop, props) => {
    const stack = newStack();
    const integration = new WebSocketDynamoDbIntegration('Conn', { table: connectionsTable(stack), action: WebSocketDynamoDbAction.PUT_ITEM, ...props });
    expect(() => new WebSocketApi(stack, 'Api').addRoute('$connect', { integration })).toThrow(new RegExp(`\\] ${prop}: .* contains '\\$' or '#'`));
  });

  test('DELETE_ITEM keys on partitionKeyName too', () => {
    const { template } = templateFor({ action: WebSocketDynamoDbAction.DELETE_ITEM, partitionKeyName: 'id' });
    expect(JSON.parse(render(template, context(1, 'c9=')))).toEqual({ TableName: TABLE, Key: { id: { S: 'c9=' } } });
  });

  test('a caller\'s credentialsRole gets PutItem on the table, and no role is created', () => {
    const stack = newStack();
    const table = connectionsTable(stack);
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    new WebSocketApi(stack, 'Api').addRoute('$connect', { integration: new WebSocketDynamoDbIntegration('Conn', { table, action: WebSocketDynamoDbAction.PUT_ITEM, credentialsRole: role }) });
    expect(propertiesOf(stack, 'AWS::IAM::Role')).toHaveLength(1);
    const [policy] = propertiesOf(stack, 'AWS::IAM::Policy');
    expect(policy.Roles).toEqual([{ Ref: expect.stringMatching(/^Mine/) }]);
    expect(policy.PolicyDocument.Statement).toEqual([expect.objectContaining({ Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Table/), 'Arn'] } })]);
  });
});
