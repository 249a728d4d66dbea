import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BooksApi } from '@apigw-blueprints/books-api';
import { synthMessages } from '@apigw-blueprints/local';
import { SfnApi } from '@apigw-blueprints/sfn-api';
import { WebSocketChat } from '@apigw-blueprints/websocket-chat';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { AwsSolutionsChecks } from 'cdk-nag';

// Runs bin/app.ts the way cdk.json does (transpile-only), into a scratch folder: cdk-nag runs inside it.
test('every pattern and a user output named ApiUrl synthesize in one stack, cdk-nag passing, with no warning', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'composed-app-'));
  const run = spawnSync('npx', ['ts-node', '-T', '--prefer-ts-exts', 'bin/app.ts'], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_DEFAULT_REGION: 'eu-west-1', CDK_DEFAULT_ACCOUNT: '' },
    encoding: 'utf8',
  });
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
  expect(synthMessages(outdir)).toEqual([]);
  const template = JSON.parse(readFileSync(join(outdir, 'Composed.template.json'), 'utf8'));
  const outputs = Object.keys(template.Outputs);
  // The user's ApiUrl, one URL per HTTP API (Fiction, Poetry, Orders, Service), the chat's two, the order machines' two.
  expect(outputs).toContain('ApiUrl');
  for (const prefix of ['FictionStageUrl', 'PoetryStageUrl', 'OrdersStageUrl', 'ServiceStageUrl', 'ChatStageUrl', 'ChatStageCallbackUrl']) {
    expect({ prefix, found: outputs.filter((id) => id.startsWith(prefix)).length }).toEqual({ prefix, found: 1 });
  }
  expect(outputs).toHaveLength(9);
  const types = Object.values<any>(template.Resources).map((r) => r.Type);
  const count = (type: string) => types.filter((t) => t === type).length;
  expect({ httpAndWsApis: count('AWS::ApiGatewayV2::Api'), tables: count('AWS::DynamoDB::Table'), machines: count('AWS::StepFunctions::StateMachine') })
    .toEqual({ httpAndWsApis: 5, tables: 3, machines: 2 });
});

test('BooksApi and SfnApi share one API of the user\'s, in another stack, with its authorizer; cdk-nag passing', () => {
  const app = new App();
  const shared = new Stack(app, 'Shared', { env: { region: 'us-east-1' } });
  const existingApi = new apigwv2.HttpApi(shared, 'Api', { defaultAuthorizer: new HttpIamAuthorizer() });
  const stack = new Stack(app, 'Backends', { env: { region: 'us-east-1' } });
  const books = new BooksApi(stack, 'Books', { existingApi, removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false });
  const orders = new SfnApi(stack, 'Orders', { existingApi });
  expect([books.stage, orders.stage]).toEqual([undefined, undefined]);
  expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  const routes = Object.values(Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Route')).map((r: any) => r.Properties);
  expect(routes.map((r) => r.RouteKey).sort()).toEqual([
    'DELETE /books/{id}', 'GET /books', 'GET /books/{id}', 'POST /books', 'POST /start', 'POST /start-sync', 'POST /stop', 'PUT /books/{id}',
  ]);
  for (const route of routes) expect(route.AuthorizationType).toBe('AWS_IAM');
  // References run from the backends to the API's stack only: it deploys first.
  const assembly = app.synth();
  expect(assembly.getStackByName('Shared').dependencies.filter((d) => !d.id.endsWith('.assets'))).toEqual([]);
  expect(() => new BooksApi(stack, 'MoreBooks', { existingApi })).toThrow(/^\[BooksApi\] existingApi: the API already has a route GET \/books\./);
});

test('two WebSocketChat in one stack of one app: one account logging role, cdk-nag passing', () => {
  const app = new App();
  const stack = new Stack(app, 'Chats', { env: { region: 'us-east-1' } });
  new WebSocketChat(stack, 'Support', { createCloudWatchRole: true });
  new WebSocketChat(stack, 'Sales', { createCloudWatchRole: true, stageName: 'live' });
  const report = new AwsSolutionsChecks().validateScope(stack);
  expect(report.violations).toEqual([]);
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::ApiGateway::Account', 1);
  template.resourceCountIs('AWS::ApiGatewayV2::Api', 2);
  const accountRoles = Object.values(template.findResources('AWS::IAM::Role'))
    .filter((r: any) => JSON.stringify(r.Properties.ManagedPolicyArns ?? []).includes('AmazonAPIGatewayPushToCloudWatchLogs'));
  expect(accountRoles).toHaveLength(1);
});
