import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SfnApi, SfnApiStack } from '../src';

const newStack = () => new Stack(new App(), 'Mine', { env: { region: 'us-east-1' } });

describe('composition', () => {
  test("two SfnApi beside the user's own ApiUrl output: every output has a logical id of its own", () => {
    const stack = newStack();
    new SfnApi(stack, 'Orders');
    new SfnApi(stack, 'Returns');
    new CfnOutput(stack, 'ApiUrl', { value: 'https://example.com' });
    const ids = Object.keys(Template.fromStack(stack).findOutputs('*'));
    expect(ids).toHaveLength(7);
    expect(ids.filter((id) => id.startsWith('Orders'))).toHaveLength(3);
    expect(ids.filter((id) => id.startsWith('Returns'))).toHaveLength(3);
  });

  test('SfnApiStack keeps the documented output names', () => {
    const outputs = Template.fromStack(new SfnApiStack(new App(), 'Sfn', { env: { region: 'us-east-1' } })).findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(['ApiUrl', 'ExpressStateMachineArn', 'StandardStateMachineArn']);
  });
});

describe('existingApi', () => {
  test("the routes join the user's API; no stage or URL output of the pattern's, the machine ARNs still output", () => {
    const stack = newStack();
    const existingApi = new apigwv2.HttpApi(stack, 'Shop');
    const api = new SfnApi(stack, 'Orders', { existingApi, executionStatusRoute: true });
    expect(api.api).toBe(existingApi);
    expect(api.stage).toBeUndefined();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r: any) => r.Properties.RouteKey).sort();
    expect(keys).toEqual(['GET /executions/{name}', 'POST /start', 'POST /start-sync', 'POST /stop']);
    expect(Object.keys(template.findOutputs('*'))).toEqual([expect.stringMatching(/^OrdersStandardStateMachineArn/), expect.stringMatching(/^OrdersExpressStateMachineArn/)]);
  });

  test('a prop of the API with existingApi fails at synth, naming both', () => {
    const stack = newStack();
    expect(() => new SfnApi(stack, 'Orders', { existingApi: new apigwv2.HttpApi(stack, 'Shop'), throttle: { rateLimit: 10 } }))
      .toThrow(/^\[SfnApi\] throttle: configures the API, and existingApi was given: .*or drop existingApi to let SfnApi create the API\. \(at Mine\/Orders\)$/);
  });
});

describe('functions', () => {
  test('the pricing and status functions get the options', () => {
    const stack = newStack();
    new SfnApi(stack, 'Orders', {
      executionStatusRoute: true,
      functions: { memorySize: 512, timeout: Duration.seconds(5), reservedConcurrentExecutions: 2, environment: { STAGE: 'test' }, applicationLogLevel: lambda.ApplicationLogLevel.ERROR },
    });
    const functions = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::Function')).map((r: any) => r.Properties);
    expect(functions).toHaveLength(2);
    for (const fn of functions) {
      expect(fn).toMatchObject({
        MemorySize: 512,
        Timeout: 5,
        ReservedConcurrentExecutions: 2,
        Environment: { Variables: { STAGE: 'test' } },
        LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'ERROR' },
      });
    }
  });

  test("a variable the status handler uses fails at synth, naming SfnApi's prop", () => {
    expect(() => new SfnApi(newStack(), 'Orders', { executionStatusRoute: true, functions: { environment: { STATE_MACHINE_ARN: 'x' } } }))
      .toThrow(/^\[SfnApi\] functions\.environment: STATE_MACHINE_ARN is set by the pattern for its handler\./);
  });
});
