import { App, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { SfnApi, SfnApiStack } from '../src';

const env = { region: 'us-east-1' };
const template = Template.fromStack(new SfnApiStack(new App(), 'Sfn', { env }));
const entries = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, any][];

function routes(t: Template) {
  const integrations = Object.fromEntries(entries(t, 'AWS::ApiGatewayV2::Integration'));
  return Object.fromEntries(entries(t, 'AWS::ApiGatewayV2::Route').map(([, r]) => {
    const integration = integrations[r.Properties.Target['Fn::Join'][1][1].Ref].Properties;
    return [r.Properties.RouteKey, integration];
  }));
}

test('the seed\'s three routes: subtype and mapping per route', () => {
  const byRoute = routes(template);
  expect(Object.keys(byRoute).sort()).toEqual(['POST /start', 'POST /start-sync', 'POST /stop']);
  expect(byRoute['POST /start']).toMatchObject({
    IntegrationSubtype: 'StepFunctions-StartExecution',
    RequestParameters: { Input: '$request.body', StateMachineArn: { Ref: expect.stringMatching(/^SfnApiStandardOrders/) } },
  });
  expect(byRoute['POST /start-sync']).toMatchObject({
    IntegrationSubtype: 'StepFunctions-StartSyncExecution',
    RequestParameters: { Input: '$request.body', StateMachineArn: { Ref: expect.stringMatching(/^SfnApiExpressOrders/) } },
  });
  expect(byRoute['POST /stop']).toMatchObject({
    IntegrationSubtype: 'StepFunctions-StopExecution',
    RequestParameters: { ExecutionArn: '$request.querystring.executionArn' },
  });
});

test('one role per integration, with exactly its action on the right ARN', () => {
  const roles = Object.fromEntries(entries(template, 'AWS::ApiGatewayV2::Integration').map(([, i]) => [i.Properties.IntegrationSubtype, i.Properties.CredentialsArn['Fn::GetAtt'][0]]));
  const policyOf = (role: string) => entries(template, 'AWS::IAM::Policy').find(([, p]) => p.Properties.Roles[0].Ref === role)![1].Properties.PolicyDocument.Statement;
  expect(new Set(Object.values(roles)).size).toBe(3);
  expect(policyOf(roles['StepFunctions-StartExecution'])).toEqual([expect.objectContaining({ Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^SfnApiStandardOrders/) } })]);
  expect(policyOf(roles['StepFunctions-StartSyncExecution'])).toEqual([expect.objectContaining({ Action: 'states:StartSyncExecution', Resource: { Ref: expect.stringMatching(/^SfnApiExpressOrders/) } })]);
  const [stop] = policyOf(roles['StepFunctions-StopExecution']);
  expect(stop.Action).toBe('states:StopExecution');
  expect(JSON.stringify(stop.Resource)).toMatch(/:execution:",\{"Fn::GetAtt":\["SfnApiStandardOrders[^"]*","Name"\]\},":\*"/);
});

test('logging (ALL with data for Express, ERROR for Standard) and X-Ray on both machines', () => {
  const machines = Object.fromEntries(entries(template, 'AWS::StepFunctions::StateMachine').map(([id, m]) => [id.startsWith('SfnApiExpress') ? 'express' : 'standard', m.Properties]));
  expect(machines.express).toMatchObject({ StateMachineType: 'EXPRESS', TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true } });
  expect(machines.standard).toMatchObject({ StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ERROR' } });
  expect(machines.standard.LoggingConfiguration.IncludeExecutionData).toBeUndefined();
});

test('alarms on ExecutionsFailed, ExecutionsTimedOut and ExecutionThrottled of each machine', () => {
  const alarms = entries(template, 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.Namespace === 'AWS/States').map(([, a]) => `${a.Properties.MetricName} ${JSON.stringify(a.Properties.Dimensions[0].Value.Ref).replace(/StateMachine.*/, '').replace('"SfnApi', '')}`).sort();
  expect(alarms).toEqual([
    'ExecutionThrottled ExpressOrders', 'ExecutionThrottled StandardOrders',
    'ExecutionsFailed ExpressOrders', 'ExecutionsFailed StandardOrders',
    'ExecutionsTimedOut ExpressOrders', 'ExecutionsTimedOut StandardOrders',
  ]);
  const none = new Stack(new App(), 'NoAlarms', { env });
  new SfnApi(none, 'Api', { alarms: false });
  Template.fromStack(none).resourceCountIs('AWS::CloudWatch::Alarm', 0);
});

test('outputs the API URL and both machine ARNs', () => {
  expect(Object.keys(template.findOutputs('*')).sort()).toEqual(['ApiUrl', 'ExpressStateMachineArn', 'StandardStateMachineArn']);
});

test('given only an Express machine, only /start-sync exists; only a Standard one, /start and /stop', () => {
  const express = new Stack(new App(), 'E', { env });
  new SfnApi(express, 'Api', { expressStateMachine: sfn.StateMachine.fromStateMachineArn(express, 'M', 'arn:aws:states:us-east-1:123456789012:stateMachine:Fast') });
  expect(Object.keys(routes(Template.fromStack(express)))).toEqual(['POST /start-sync']);
  const standard = new Stack(new App(), 'S', { env });
  new SfnApi(standard, 'Api', { standardStateMachine: sfn.StateMachine.fromStateMachineArn(standard, 'M', 'arn:aws:states:us-east-1:123456789012:stateMachine:Slow') });
  const t = Template.fromStack(standard);
  expect(Object.keys(routes(t)).sort()).toEqual(['POST /start', 'POST /stop']);
  t.resourceCountIs('AWS::StepFunctions::StateMachine', 0);
  t.resourceCountIs('AWS::Lambda::Function', 0);
});

test('executionStatusRoute: GET /executions/{name}, a function allowed DescribeExecution on the Standard executions only', () => {
  const s = new Stack(new App(), 'Status', { env });
  new SfnApi(s, 'Api', { executionStatusRoute: true, authorizer: new HttpIamAuthorizer() });
  const t = Template.fromStack(s);
  expect(Object.keys(routes(t)).sort()).toEqual(['GET /executions/{name}', 'POST /start', 'POST /start-sync', 'POST /stop']);
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'states:DescribeExecution', Resource: Match.objectLike({ 'Fn::Join': Match.anyValue() }) })]) },
  });
  for (const [, r] of entries(t, 'AWS::ApiGatewayV2::Route')) expect(r.Properties.AuthorizationType).toBe('AWS_IAM');
});

test('misconfigurations fail at synth, naming the prop and the fix', () => {
  const s = new Stack(new App(), 'Bad', { env });
  const express = sfn.StateMachine.fromStateMachineArn(s, 'M', 'arn:aws:states:us-east-1:123456789012:stateMachine:Fast');
  expect(() => new SfnApi(s, 'A', { expressStateMachine: express, executionStatusRoute: true }))
    .toThrow(/\[SfnApi\] executionStatusRoute: needs a Standard machine \(DescribeExecution does not serve Express executions\)\. Fix:/);
  expect(() => new SfnApi(s, 'B', { domainName: 'orders.example.com' })).toThrow(/\[SfnApi\] certificate: a custom domain needs both/);
});

test('a machine construct of the wrong type fails at synth, naming SfnApi\'s prop (before the integration\'s own check)', () => {
  const s = new Stack(new App(), 'Types', { env });
  const machine = (id: string, type: sfn.StateMachineType) => new sfn.StateMachine(s, id, {
    stateMachineType: type,
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, `${id}Pass`)),
  });
  const express = machine('Express', sfn.StateMachineType.EXPRESS);
  const standard = machine('Standard', sfn.StateMachineType.STANDARD);
  expect(() => new SfnApi(s, 'A', { standardStateMachine: express })).toThrow(
    new RegExp('^\\[SfnApi\\] standardStateMachine: Types/Express is EXPRESS, and POST /stop calls StopExecution, which Express executions do not support\\. '
      + 'Fix: give a STANDARD machine as standardStateMachine, or pass this one as expressStateMachine\\. \\(at Types/A\\)$'),
  );
  expect(() => new SfnApi(s, 'B', { expressStateMachine: standard })).toThrow(
    /^\[SfnApi\] expressStateMachine: Types\/Standard is STANDARD, and POST \/start-sync calls StartSyncExecution, which runs Express machines only\. Fix: give a EXPRESS machine as expressStateMachine/,
  );
  expect(() => new SfnApi(s, 'C', { standardStateMachine: standard, expressStateMachine: express })).not.toThrow();
});

test('the sample Express workflow times out within the HTTP API\'s 30 s integration limit; the Standard one may run an hour', () => {
  const timeouts = entries(template, 'AWS::StepFunctions::StateMachine').map(([, m]) => {
    const text = m.Properties.DefinitionString['Fn::Join'][1].filter((p: unknown) => typeof p === 'string').join('');
    // The top-level field closes the definition: the last TimeoutSeconds in it.
    const seconds = [...text.matchAll(/"TimeoutSeconds":(\d+)/g)].map((match) => Number(match[1])).pop();
    return [m.Properties.StateMachineType ?? 'STANDARD', seconds];
  });
  expect(Object.fromEntries(timeouts)).toEqual({ EXPRESS: 29, STANDARD: 3600 });
});

test('pattern props reach the template: throttle on the stage, logRetention on the function and machine log groups, accessLogRetention on the access logs', () => {
  const s = new Stack(new App(), 'Tuned', { env });
  new SfnApi(s, 'Sfn', {
    throttle: { rateLimit: 5, burstLimit: 10 },
    logRetention: logs.RetentionDays.ONE_WEEK,
    accessLogRetention: logs.RetentionDays.THREE_MONTHS,
    executionStatusRoute: true,
  });
  const t = Template.fromStack(s);
  t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } });
  // Two functions (pricing, status), two machines, one access log.
  const retentions = entries(t, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties.RetentionInDays).sort((a, b) => a - b);
  expect(retentions).toEqual([7, 7, 7, 7, 90]);
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

test('SfnApi\'s own checks are aws-cdk-lib validation errors with a stable code, as the integrations\' are', () => {
  const s = new Stack(new App(), 'Codes', { env });
  const express = new sfn.StateMachine(s, 'Express', { stateMachineType: sfn.StateMachineType.EXPRESS, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(s, 'P')) });
  const cases: [string, () => unknown][] = [
    ['StatusNeedsStandard', () => new SfnApi(s, 'A', { expressStateMachine: express, executionStatusRoute: true })],
    ['MachineTypeMismatch', () => new SfnApi(s, 'B', { standardStateMachine: express })],
  ];
  for (const [code, build] of cases) {
    const error = thrown(build);
    expect([code, Errors.isValidationError(error), error.name, error.code]).toEqual([code, true, code, code]);
    expect(error.message).toMatch(/^\[SfnApi\] \w+: .+\. Fix: .+\. \(at Codes\/[AB]\)$/);
  }
});
