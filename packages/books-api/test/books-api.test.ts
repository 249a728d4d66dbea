import { HandlerFunction } from '@apigw-blueprints/integrations';
import { App, Errors, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { BooksApi, BooksApiStack } from '../src';

const env = { region: 'us-east-1' };
const stack = new BooksApiStack(new App(), 'Books', { env });
const template = Template.fromStack(stack);

function resources(t: Template, type: string): any[] {
  return Object.values(t.findResources(type));
}

test('five routes, each a payload 2.0 Lambda proxy integration to its own function', () => {
  const keys = resources(template, 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey).sort();
  expect(keys).toEqual(['DELETE /books/{id}', 'GET /books', 'GET /books/{id}', 'POST /books', 'PUT /books/{id}']);
  const integrations = resources(template, 'AWS::ApiGatewayV2::Integration').map((r) => r.Properties);
  expect(integrations).toHaveLength(5);
  for (const i of integrations) expect(i).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  expect(new Set(integrations.map((i) => JSON.stringify(i.IntegrationUri))).size).toBe(5);
});

test('one invoke permission per route, scoped to that route path', () => {
  const arns = resources(template, 'AWS::Lambda::Permission').map((p) => JSON.stringify(p.Properties.SourceArn));
  expect(arns).toHaveLength(5);
  expect(arns.map((a) => a.match(/\/\*\/\*([^"]*)"/)![1]).sort()).toEqual(['/books', '/books', '/books/{id}', '/books/{id}', '/books/{id}']);
});

test('the table: key id, on-demand, PITR, AWS-managed encryption, deletion protection, retained', () => {
  template.hasResource('AWS::DynamoDB::Table', {
    DeletionPolicy: 'Retain',
    UpdateReplacePolicy: 'Retain',
    Properties: Match.objectLike({
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
      DeletionProtectionEnabled: true,
    }),
  });
});

test('functions: Node.js 24 on arm64, X-Ray, the table name, a log group kept a month', () => {
  const functions = resources(template, 'AWS::Lambda::Function').map((f) => f.Properties);
  expect(functions).toHaveLength(5);
  for (const f of functions) {
    expect(f).toMatchObject({ Runtime: HandlerFunction.RUNTIME.name, Architectures: ['arm64'], TracingConfig: { Mode: 'Active' }, Environment: { Variables: { TABLE_NAME: { Ref: expect.stringMatching(/Table/) } } } });
    expect(f.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/Logs/) });
  }
  expect(resources(template, 'AWS::Logs::LogGroup').map((g) => g.Properties.RetentionInDays)).toEqual([30, 30, 30, 30, 30, 30]);
});

test('each function may call exactly the DynamoDB actions of its route', () => {
  const actionsByRole: Record<string, string[]> = {};
  for (const [, policy] of Object.entries(template.findResources('AWS::IAM::Policy')) as [string, any][]) {
    const role = policy.Properties.Roles[0].Ref.replace(/Role[0-9A-F]{8}$/, '').replace(/^Books/, '');
    actionsByRole[role] = policy.Properties.PolicyDocument.Statement
      .flatMap((s: any) => [].concat(s.Action))
      .filter((a: string) => a.startsWith('dynamodb:'))
      .sort();
  }
  expect(actionsByRole).toEqual({
    ListBooks: ['dynamodb:Scan'],
    CreateBook: ['dynamodb:PutItem'],
    GetBook: ['dynamodb:GetItem'],
    UpdateBook: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
    DeleteBook: ['dynamodb:DeleteItem'],
  });
});

test('no function role has AWS managed policies: logs go to its own log group only', () => {
  for (const role of resources(template, 'AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
});

test('the stage: JSON access logs with the request id, default throttling', () => {
  const [stage] = resources(template, 'AWS::ApiGatewayV2::Stage');
  expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true, DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 } });
  expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
});

test('outputs the API URL and the table name', () => {
  expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['ApiUrl', 'TableName']);
});

test('no CORS by default; named origins when given', () => {
  expect(resources(template, 'AWS::ApiGatewayV2::Api')[0].Properties.CorsConfiguration).toBeUndefined();
  const withCors = new Stack(new App(), 'Cors', { env });
  new BooksApi(withCors, 'Books', { corsAllowOrigins: ['https://app.example.com'] });
  Template.fromStack(withCors).hasResourceProperties('AWS::ApiGatewayV2::Api', {
    CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowMethods: ['GET', 'POST', 'PUT', 'DELETE'], AllowHeaders: ['content-type', 'authorization'], MaxAge: 3600 },
  });
});

test('an authorizer applies to every route', () => {
  const s = new Stack(new App(), 'Auth', { env });
  new BooksApi(s, 'Books', { authorizer: new HttpIamAuthorizer() });
  const types = resources(Template.fromStack(s), 'AWS::ApiGatewayV2::Route').map((r) => r.Properties.AuthorizationType);
  expect(types).toEqual(['AWS_IAM', 'AWS_IAM', 'AWS_IAM', 'AWS_IAM', 'AWS_IAM']);
});

test('a custom domain maps to the stage', () => {
  const s = new Stack(new App(), 'Domain', { env });
  const certificate = acm.Certificate.fromCertificateArn(s, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
  new BooksApi(s, 'Books', { domainName: 'books.example.com', certificate });
  const t = Template.fromStack(s);
  t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'books.example.com' });
  t.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
});

test('an existing table is used as given', () => {
  const s = new Stack(new App(), 'Existing', { env });
  const table = dynamodb.Table.fromTableName(s, 'Mine', 'my-books');
  const books = new BooksApi(s, 'Books', { existingTable: table });
  expect(books.table).toBe(table);
  Template.fromStack(s).resourceCountIs('AWS::DynamoDB::Table', 0);
});

test('misconfigurations fail at synth, naming the prop and the fix', () => {
  const s = new Stack(new App(), 'Bad', { env });
  const table = dynamodb.Table.fromTableName(s, 'Mine', 'my-books');
  expect(() => new BooksApi(s, 'A', { existingTable: table, removalPolicy: RemovalPolicy.DESTROY }))
    .toThrow(/\[BooksApi\] removalPolicy: applies to a table this construct creates, and existingTable was given\. Fix: set it on your table, or drop existingTable/);
  expect(() => new BooksApi(s, 'B', { domainName: 'books.example.com' }))
    .toThrow(/\[BooksApi\] certificate: a custom domain needs both domainName and certificate\. Fix: give both, or neither/);
});

/** Each function role's statements, by function (GetBook, ...), as [actions, resources] pairs. */
function statementsByFunction(t: Template): Record<string, Array<{ actions: string[]; resources: unknown[] }>> {
  const out: Record<string, Array<{ actions: string[]; resources: unknown[] }>> = {};
  for (const [, policy] of Object.entries(t.findResources('AWS::IAM::Policy')) as [string, any][]) {
    const fn = policy.Properties.Roles[0].Ref.replace(/Role[0-9A-F]{8}$/, '').replace(/^Books/, '');
    out[fn] = policy.Properties.PolicyDocument.Statement.map((st: any) => ({
      actions: [].concat(st.Action).sort(),
      resources: [].concat(st.Resource),
    }));
  }
  return out;
}

test('the DynamoDB statements name the books table and nothing else', () => {
  const tableArn = { 'Fn::GetAtt': [Object.keys(template.findResources('AWS::DynamoDB::Table'))[0], 'Arn'] };
  for (const [fn, statements] of Object.entries(statementsByFunction(template))) {
    const dynamo = statements.filter((st) => st.actions.some((a) => a.startsWith('dynamodb:')));
    expect([fn, dynamo.flatMap((st) => st.resources).filter((r: any) => !(r && r.Ref === 'AWS::NoValue'))]).toEqual([fn, [tableArn]]);
  }
});

describe('an existing table encrypted with a customer-managed key', () => {
  const s = new Stack(new App(), 'Kms', { env });
  const key = new kms.Key(s, 'BooksKey');
  const table = new dynamodb.Table(s, 'Mine', {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
  });
  new BooksApi(s, 'Books', { existingTable: table });
  const t = Template.fromStack(s);
  const keyArn = { 'Fn::GetAtt': [Object.keys(t.findResources('AWS::KMS::Key'))[0], 'Arn'] };

  test('readers get kms:Decrypt, writers also Encrypt, GenerateDataKey* and ReEncrypt*, on that key only', () => {
    const kmsByFunction: Record<string, { actions: string[]; resources: unknown[] }> = {};
    for (const [fn, statements] of Object.entries(statementsByFunction(t))) {
      const onKey = statements.filter((st) => st.actions.some((a) => a.startsWith('kms:')));
      kmsByFunction[fn] = { actions: onKey.flatMap((st) => st.actions).sort(), resources: onKey.flatMap((st) => st.resources) };
    }
    const writer = { actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'], resources: [keyArn] };
    const reader = { actions: ['kms:Decrypt'], resources: [keyArn] };
    expect(kmsByFunction).toEqual({ ListBooks: reader, GetBook: reader, CreateBook: writer, UpdateBook: writer, DeleteBook: writer });
  });
});

test('an imported table with its key (fromTableAttributes) gets the same key grants', () => {
  const s = new Stack(new App(), 'Imported', { env });
  const key = kms.Key.fromKeyArn(s, 'Key', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
  new BooksApi(s, 'Books', { existingTable: dynamodb.Table.fromTableAttributes(s, 'Mine', { tableName: 'books', encryptionKey: key }) });
  const kmsStatements = Object.values(statementsByFunction(Template.fromStack(s))).flat().filter((st) => st.actions.some((a) => a.startsWith('kms:')));
  expect(kmsStatements).toHaveLength(5);
  for (const st of kmsStatements) expect(st.resources).toEqual([key.keyArn]);
});

test('an existing Table construct with another key schema fails at synth; an imported table cannot be checked and passes', () => {
  const s = new Stack(new App(), 'Schema', { env });
  const wrongName = new dynamodb.Table(s, 'ByIsbn', { partitionKey: { name: 'isbn', type: dynamodb.AttributeType.STRING } });
  expect(() => new BooksApi(s, 'A', { existingTable: wrongName })).toThrow(
    /\[BooksApi\] existingTable: the handlers read and write items by a string partition key 'id' alone; this table has partition key 'isbn' \(S\)\. Fix: give a table with partitionKey \{ name: 'id', type: AttributeType\.STRING \} and no sort key, or drop existingTable for a new one\. \(at Schema\/A\)/,
  );
  const numeric = new dynamodb.Table(s, 'Numeric', { partitionKey: { name: 'id', type: dynamodb.AttributeType.NUMBER } });
  expect(() => new BooksApi(s, 'B', { existingTable: numeric })).toThrow(/this table has partition key 'id' \(N\)/);
  const sorted = new dynamodb.Table(s, 'Sorted', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'v', type: dynamodb.AttributeType.NUMBER } });
  expect(() => new BooksApi(s, 'C', { existingTable: sorted })).toThrow(/and sort key 'v' \(N\)/);
  expect(() => new BooksApi(s, 'D', { existingTable: dynamodb.Table.fromTableName(s, 'Imported', 'books') })).not.toThrow();
});

test('pattern props reach the template: throttle on the stage, logRetention on the function log groups, accessLogRetention on the access logs', () => {
  const s = new Stack(new App(), 'Tuned', { env });
  new BooksApi(s, 'Books', { throttle: { rateLimit: 5, burstLimit: 10 }, logRetention: logs.RetentionDays.ONE_WEEK, accessLogRetention: logs.RetentionDays.THREE_MONTHS });
  const t = Template.fromStack(s);
  t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } });
  const retentions = resources(t, 'AWS::Logs::LogGroup').map((g) => g.Properties.RetentionInDays).sort((a, b) => a - b);
  expect(retentions).toEqual([7, 7, 7, 7, 7, 90]);
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

test('BooksApi\'s own checks are aws-cdk-lib validation errors with a stable code, as the integrations\' are', () => {
  const s = new Stack(new App(), 'Codes', { env });
  const cases: [string, () => unknown][] = [
    ['OnlyForCreatedTable', () => new BooksApi(s, 'A', { existingTable: dynamodb.Table.fromTableName(s, 'Mine', 'b'), deletionProtection: true })],
    ['ExistingTableSchema', () => new BooksApi(s, 'B', { existingTable: new dynamodb.Table(s, 'T', { partitionKey: { name: 'isbn', type: dynamodb.AttributeType.STRING } }) })],
  ];
  for (const [code, build] of cases) {
    const error = thrown(build);
    expect([code, Errors.isValidationError(error), error.name, error.code]).toEqual([code, true, code, code]);
    expect(error.message).toMatch(/^\[BooksApi\] \w+: .+\. Fix: .+\. \(at Codes\/[AB]\)$/);
  }
});
