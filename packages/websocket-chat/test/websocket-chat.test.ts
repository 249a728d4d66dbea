import { HandlerFunction } from '@apigw-blueprints/integrations';
import { App, Errors, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { WebSocketIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { render } from 'velocityjs';
import { WebSocketChat, WebSocketChatStack } from '../src';

const env = { region: 'us-east-1' };
const stack = new WebSocketChatStack(new App(), 'Chat', { env });
const template = Template.fromStack(stack);
const resources = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, any][];

test('routes by $request.body.action: DynamoDB AWS integrations for connect/disconnect, Lambda for the rest', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action' });
  const integrations = Object.fromEntries(resources(template, 'AWS::ApiGatewayV2::Integration').map(([id, r]) => [id, r.Properties]));
  const byRoute = Object.fromEntries(resources(template, 'AWS::ApiGatewayV2::Route').map(([, r]) => {
    const integration = integrations[r.Properties.Target['Fn::Join'][1][1].Ref];
    return [r.Properties.RouteKey, { type: integration.IntegrationType, response: r.Properties.RouteResponseSelectionExpression }];
  }));
  expect(byRoute).toEqual({
    $connect: { type: 'AWS', response: undefined },
    $disconnect: { type: 'AWS', response: undefined },
    join: { type: 'AWS_PROXY', response: '$default' },
    sendmessage: { type: 'AWS_PROXY', response: '$default' },
    $default: { type: 'AWS_PROXY', response: '$default' },
  });
});

test('the $connect template writes { connectionId, room, connectedAt, ttl } with ttl an integer of epoch SECONDS', () => {
  const connect = resources(template, 'AWS::ApiGatewayV2::Integration').map(([, r]) => r.Properties)
    .find((p) => JSON.stringify(p.IntegrationUri).includes('PutItem'));
  const vtl = connect.RequestTemplates.$default['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'ConnectionsTable')).join('');
  // Not a multiple of 1000: the division must not leave a fraction.
  const requestTimeEpoch = 1_764_115_200_789;
  const request = JSON.parse(render(vtl, { context: { requestTimeEpoch, connectionId: 'abc=' } }));
  expect(request).toEqual({
    TableName: 'ConnectionsTable',
    Item: { connectionId: { S: 'abc=' }, room: { S: 'general' }, connectedAt: { N: '1764115200789' }, ttl: { N: String(1_764_115_200 + 7200) } },
  });
  expect(request.Item.ttl.N).toMatch(/^\d+$/);
});

test('the connections table: on-demand, TTL on ttl, PITR, encryption, KEYS_ONLY room index', () => {
  template.hasResourceProperties('AWS::DynamoDB::Table', {
    BillingMode: 'PAY_PER_REQUEST',
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    SSESpecification: { SSEEnabled: true },
    GlobalSecondaryIndexes: [{ IndexName: 'byRoom', KeySchema: [{ AttributeName: 'room', KeyType: 'HASH' }, { AttributeName: 'connectionId', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  });
});

test('least privilege: each role may do exactly what its route needs, on this table, index and stage only', () => {
  const actions: Record<string, string[]> = {};
  for (const [, policy] of resources(template, 'AWS::IAM::Policy')) {
    const role = policy.Properties.Roles[0].Ref as string;
    actions[role.replace(/[0-9A-F]{8}$/, '')] = policy.Properties.PolicyDocument.Statement
      .flatMap((s: any) => [].concat(s.Action)).filter((a: string) => !a.startsWith('logs:') && !a.startsWith('xray:')).sort();
  }
  expect(actions).toEqual({
    ChatApiconnectRouteInvokeRole: ['dynamodb:PutItem'],
    ChatApidisconnectRouteInvokeRole: ['dynamodb:DeleteItem'],
    ChatJoinRole: ['dynamodb:Query', 'dynamodb:UpdateItem'],
    ChatSendMessageRole: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query', 'execute-api:ManageConnections'],
    ChatDefaultRouteRole: [],
  });
  const statements = resources(template, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  const query = statements.filter((s: any) => s.Action === 'dynamodb:Query');
  for (const s of query) expect(JSON.stringify(s.Resource)).toMatch(/\/index\/byRoom"/);
  const manage = statements.find((s: any) => s.Action === 'execute-api:ManageConnections');
  expect(JSON.stringify(manage.Resource)).toMatch(/\/prod\/\*\/@connections\/\*"/);
});

test('functions: Node.js 24 arm64 with X-Ray; sendmessage knows the callback URL', () => {
  const functions = resources(template, 'AWS::Lambda::Function').map(([, f]) => f.Properties);
  expect(functions).toHaveLength(3);
  for (const f of functions) expect(f).toMatchObject({ Runtime: HandlerFunction.RUNTIME.name, Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
  expect(functions.filter((f) => f.Environment.Variables.CALLBACK_URL)).toHaveLength(1);
});

test('stage: prod, auto deploy, access logs, throttling; outputs the URLs and the table; no account-wide role', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
    StageName: 'prod', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }, AccessLogSettings: Match.anyValue(),
  });
  expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['TableName', 'WebSocketCallbackUrl', 'WebSocketUrl']);
  template.resourceCountIs('AWS::ApiGateway::Account', 0);
});

test('props: default room, TTL hours, connect authorizer, CloudWatch role', () => {
  const s = new Stack(new App(), 'Props', { env });
  new WebSocketChat(s, 'Chat', { defaultRoom: 'lobby', connectionTtlHours: 1, connectAuthorizer: new WebSocketIamAuthorizer(), createCloudWatchRole: true });
  const t = Template.fromStack(s);
  const vtl = JSON.stringify(resources(t, 'AWS::ApiGatewayV2::Integration').map(([, r]) => r.Properties.RequestTemplates).filter(Boolean));
  expect(vtl).toContain('\\"lobby\\"');
  expect(vtl).toContain('$seconds + 3600');
  t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$connect', AuthorizationType: 'AWS_IAM' });
  t.resourceCountIs('AWS::ApiGateway::Account', 1);
});

test('a default room that is not a room name fails at synth', () => {
  expect(() => new WebSocketChat(new Stack(new App(), 'Bad', { env }), 'Chat', { defaultRoom: 'has space' }))
    .toThrow(/\[WebSocketChat\] defaultRoom: 'has space' is not a room name\. Fix: use 1 to 64 of letters, digits/);
});

test('every table action names the connections table itself, Query only its room index', () => {
  const tableId = resources(template, 'AWS::DynamoDB::Table')[0][0];
  const tableArn = { 'Fn::GetAtt': [tableId, 'Arn'] };
  const statements = resources(template, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
  const onTable = statements.filter((s: any) => [].concat(s.Action).some((a: string) => a.startsWith('dynamodb:') && a !== 'dynamodb:Query'));
  expect(onTable.length).toBeGreaterThan(0);
  for (const s of onTable) expect([].concat(s.Resource).filter((r: any) => r?.Ref !== 'AWS::NoValue')).toEqual([tableArn]);
  const queries = statements.filter((s: any) => ([] as string[]).concat(s.Action).includes('dynamodb:Query'));
  for (const s of queries) {
    expect([].concat(s.Resource)).toEqual([{ 'Fn::Join': ['', [tableArn, '/index/byRoom']] }]);
  }
});

test('pattern props reach the template: throttle on the stage, logRetention on the function and access log groups', () => {
  const s = new Stack(new App(), 'Tuned', { env });
  new WebSocketChat(s, 'Chat', { throttle: { rateLimit: 5, burstLimit: 10 }, logRetention: logs.RetentionDays.ONE_WEEK });
  const t = Template.fromStack(s);
  t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } });
  expect(resources(t, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties.RetentionInDays)).toEqual([7, 7, 7, 7]);
});

/** The error `build` throws: a misconfiguration must be an aws-cdk-lib validation error named after its code. */
function thrown(fn: () => unknown): any {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('no error was thrown');
}

test('WebSocketChat\'s own checks are aws-cdk-lib validation errors with a stable code, as the integrations\' are', () => {
  const s = new Stack(new App(), 'Codes', { env });
  const cases: [string, () => unknown][] = [
    ['RoomNameInvalid', () => new WebSocketChat(s, 'A', { defaultRoom: 'has space' })],
    ['OnlyForCreatedTable', () => new WebSocketChat(s, 'B', { existingTable: dynamodb.Table.fromTableName(s, 'Mine', 'c'), removalPolicy: RemovalPolicy.DESTROY })],
    ['ExistingTableSchema', () => new WebSocketChat(s, 'C', { existingTable: new dynamodb.Table(s, 'T', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }) })],
  ];
  for (const [code, build] of cases) {
    const error = thrown(build);
    expect([code, Errors.isValidationError(error), error.name, error.code]).toEqual([code, true, code, code]);
    expect(error.message).toMatch(/^\[WebSocketChat\] \w+: .+\. Fix: .+\. \(at Codes\/[ABC]\)$/s);
  }
});
