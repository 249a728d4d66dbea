import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BooksApi, BooksApiStack } from '../src';

const newStack = () => new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });
const functionsOf = (stack: Stack) => Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((r: any) => r.Properties);

describe('composition', () => {
  test("two BooksApi beside the user's own ApiUrl output: every output has a logical id of its own", () => {
    const stack = newStack();
    const first = new BooksApi(stack, 'Fiction');
    const second = new BooksApi(stack, 'Poetry');
    new CfnOutput(stack, 'ApiUrl', { value: 'https://example.com' });
    const outputs = Template.fromStack(stack).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', expect.stringMatching(/^FictionStageUrl/), expect.stringMatching(/^PoetryStageUrl/)]);
    expect(first.stage?.urlOutput?.value).toBe(first.stage?.stage.url);
    expect(second.stage?.urlOutput).not.toBe(first.stage?.urlOutput);
  });

  test('BooksApiStack keeps the documented output names', () => {
    const outputs = Template.fromStack(new BooksApiStack(new App(), 'Books', { env: { region: 'us-east-1' } })).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'TableName']);
  });
});

describe('existingApi', () => {
  test("the five routes join the user's API, with its authorizer; no stage, CORS or output of the pattern's", () => {
    const stack = newStack();
    const existingApi = new apigwv2.HttpApi(stack, 'Shop', { defaultAuthorizer: new HttpIamAuthorizer() });
    const books = new BooksApi(stack, 'Books', { existingApi });
    expect(books.api).toBe(existingApi);
    expect(books.stage).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    // The user's API's own $default stage, nothing more.
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r: any) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(['DELETE /books/{id}', 'GET /books', 'GET /books/{id}', 'POST /books', 'PUT /books/{id}']);
    for (const route of routes) expect(route).toMatchObject({ AuthorizationType: 'AWS_IAM', ApiId: { Ref: stack.getLogicalId(existingApi.node.defaultChild as apigwv2.CfnApi) } });
    expect(Object.keys(template.findOutputs('*'))).toEqual([]);
  });

  test('a prop of the API with existingApi fails at synth, naming both', () => {
    const stack = newStack();
    expect(() => new BooksApi(stack, 'Books', { existingApi: new apigwv2.HttpApi(stack, 'Shop'), corsAllowOrigins: ['https://app.example.com'] }))
      .toThrow(/^\[BooksApi\] corsAllowOrigins: configures the API, and existingApi was given: .* Fix: set it on your HttpApi \(or its stage\) instead, or drop existingApi to let BooksApi create the API\. \(at Mine\/Books\)$/);
  });

  test('an API that already has GET /books fails at synth', () => {
    const stack = newStack();
    const existingApi = new apigwv2.HttpApi(stack, 'Shop');
    new BooksApi(stack, 'Books', { existingApi });
    expect(() => new BooksApi(stack, 'MoreBooks', { existingApi })).toThrow(/existingApi: the API already has a route GET \/books\./);
  });
});

describe('functions', () => {
  test('memory, timeout, reserved concurrency, environment and log level reach all five functions', () => {
    const stack = newStack();
    new BooksApi(stack, 'Books', {
      functions: {
        memorySize: 1024,
        timeout: Duration.seconds(20),
        reservedConcurrentExecutions: 10,
        environment: { POWERTOOLS_SERVICE_NAME: 'books' },
        applicationLogLevel: lambda.ApplicationLogLevel.WARN,
      },
    });
    const functions = functionsOf(stack);
    expect(functions).toHaveLength(5);
    for (const fn of functions) {
      expect(fn).toMatchObject({
        MemorySize: 1024,
        Timeout: 20,
        ReservedConcurrentExecutions: 10,
        Environment: { Variables: { TABLE_NAME: expect.anything(), POWERTOOLS_SERVICE_NAME: 'books' } },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' },
      });
    }
  });

  test('defaults: 256 MB, 10 seconds, no reserved concurrency, JSON logs at INFO', () => {
    const stack = newStack();
    new BooksApi(stack, 'Books');
    for (const fn of functionsOf(stack)) {
      expect(fn).toMatchObject({ MemorySize: 256, Timeout: 10, LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' } });
      expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  test('a timeout over the HTTP API integration limit, or a variable the handlers use, fails at synth', () => {
    expect(() => new BooksApi(newStack(), 'Books', { functions: { timeout: Duration.seconds(31) } }))
      .toThrow(/^\[BooksApi\] functions\.timeout: 31 seconds is outside 1 second to 30 seconds/);
    expect(() => new BooksApi(newStack(), 'Books', { functions: { environment: { TABLE_NAME: 'other' } } }))
      .toThrow(/^\[BooksApi\] functions\.environment: TABLE_NAME is set by the pattern for its handler\. Fix: use another name than TABLE_NAME\. \(at Mine\/Books\/ListBooks\)$/);
  });
});
