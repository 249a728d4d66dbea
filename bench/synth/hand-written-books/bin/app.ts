#!/usr/bin/env node
// What a user writes for apps/books-app without this library: aws-cdk-lib's own HttpApi
// and Lambda integration, five NodejsFunction that esbuild bundles at every synth (the
// books pattern's handler sources as the user's code), one table. No cdk-nag, no alarms,
// no dashboard, no access logs: a lower bar than the sample app, on the same toolchain.
import { join } from 'node:path';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';

const HANDLERS = join(__dirname, '..', '..', '..', '..', 'packages', 'books-api', 'handlers');

const app = new App();
const stack = new Stack(app, 'HandWrittenBooks', { env: { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' } });

const table = new Table(stack, 'Books', {
  partitionKey: { name: 'id', type: AttributeType.STRING },
  billingMode: BillingMode.PAY_PER_REQUEST,
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  removalPolicy: RemovalPolicy.RETAIN,
});
const api = new HttpApi(stack, 'Api');

const routes = [
  { name: 'list-books', method: HttpMethod.GET, path: '/books', grant: (fn: NodejsFunction) => table.grantReadData(fn) },
  { name: 'create-book', method: HttpMethod.POST, path: '/books', grant: (fn: NodejsFunction) => table.grantWriteData(fn) },
  { name: 'get-book', method: HttpMethod.GET, path: '/books/{id}', grant: (fn: NodejsFunction) => table.grantReadData(fn) },
  { name: 'update-book', method: HttpMethod.PUT, path: '/books/{id}', grant: (fn: NodejsFunction) => table.grantReadWriteData(fn) },
  { name: 'delete-book', method: HttpMethod.DELETE, path: '/books/{id}', grant: (fn: NodejsFunction) => table.grantWriteData(fn) },
];
for (const route of routes) {
  const fn = new NodejsFunction(stack, route.name, {
    entry: join(HANDLERS, `${route.name}.ts`),
    runtime: Runtime.NODEJS_24_X,
    architecture: Architecture.ARM_64,
    memorySize: 256,
    timeout: Duration.seconds(10),
    tracing: Tracing.ACTIVE,
    environment: { TABLE_NAME: table.tableName },
    logGroup: new LogGroup(stack, `${route.name}-logs`, { retention: RetentionDays.ONE_MONTH }),
    bundling: { minify: true, sourceMap: true },
  });
  route.grant(fn);
  api.addRoutes({ path: route.path, methods: [route.method], integration: new HttpLambdaIntegration(`${route.name}-integration`, fn) });
}
app.synth();
