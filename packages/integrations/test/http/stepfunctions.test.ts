import { Duration, Stack } from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpIntegrationSubtype, HttpMethod, ParameterMapping } from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { HttpStepFunctionsIntegration } from '../../src';
import { newStack, statementsOf } from '../helpers';

function machine(stack: Stack, type: sfn.StateMachineType, id = 'Machine') {
  return new sfn.StateMachine(stack, id, { stateMachineType: type, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)) });
}

function route(stack: Stack, integration: HttpStepFunctionsIntegration) {
  new HttpApi(stack, 'Api').addRoutes({ path: '/run', methods: [HttpMethod.POST], integration });
}

describe('HttpStepFunctionsIntegration', () => {
  test('START_EXECUTION by default: maps StateMachineArn, role may StartExecution on that machine only', () => {
    const stack = newStack();
    route(stack, new HttpStepFunctionsIntegration('Start', { stateMachine: machine(stack, sfn.StateMachineType.STANDARD) }));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationSubtype: 'StepFunctions-StartExecution',
      PayloadFormatVersion: '1.0',
      ConnectionType: 'INTERNET',
      RequestParameters: { StateMachineArn: { Ref: Match.stringLikeRegexp('^Machine') } },
      CredentialsArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('InvokeRole'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } }] },
    });
    expect(statementsOf(stack)).toEqual([
      { Sid: 'AllowStepFunctionsExecution', Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: expect.stringMatching(/^Machine/) } },
    ]);
  });

  test('role: the role it created once bound (undefined before), or credentialsRole', () => {
    const stack = newStack();
    const created = new HttpStepFunctionsIntegration('Start', { stateMachine: machine(stack, sfn.StateMachineType.STANDARD) });
    expect(created.role).toBeUndefined();
    route(stack, created);
    expect(created.role).toBeInstanceOf(iam.Role);
    expect(created.role!.node.path).toBe('Test/Api/POST--run/InvokeRole');
    const own = new iam.Role(stack, 'Own', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    const given = new HttpStepFunctionsIntegration('Given', { stateMachine: machine(stack, sfn.StateMachineType.STANDARD, 'Other'), credentialsRole: own });
    expect(given.role).toBe(own);
    new HttpApi(stack, 'Api2').addRoutes({ path: '/run', methods: [HttpMethod.POST], integration: given });
    expect(given.role).toBe(own);
  });

  test('START_SYNC_EXECUTION on an EXPRESS machine: StartSyncExecution', () => {
    const stack = newStack();
    route(stack, new HttpStepFunctionsIntegration('Sync', {
      stateMachine: machine(stack, sfn.StateMachineType.EXPRESS),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION,
    }));
    expect(statementsOf(stack).map((s) => s.Action)).toEqual(['states:StartSyncExecution']);
  });

  test('STOP_EXECUTION: the caller maps ExecutionArn; the role may stop executions of that machine only', () => {
    const stack = newStack();
    route(stack, new HttpStepFunctionsIntegration('Stop', {
      stateMachine: machine(stack, sfn.StateMachineType.STANDARD),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
      parameterMapping: new ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn'),
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationSubtype: 'StepFunctions-StopExecution',
      RequestParameters: { ExecutionArn: '$request.querystring.executionArn' },
    });
    const [statement] = statementsOf(stack);
    expect(statement.Action).toBe('states:StopExecution');
    const resource = JSON.stringify(statement.Resource);
    expect(resource).toMatch(/:states:us-east-1:.*:execution:/);
    expect(resource).toMatch(/Machine.*Name/);
    expect(resource).toMatch(/:\*"\]\]\}$/);
  });

  test('STOP_EXECUTION without an ExecutionArn mapping fails, naming parameterMapping and the fix', () => {
    const stack = newStack();
    const integration = new HttpStepFunctionsIntegration('Stop', {
      stateMachine: machine(stack, sfn.StateMachineType.STANDARD),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
    });
    expect(() => route(stack, integration)).toThrow(
      /\[HttpStepFunctionsIntegration\] parameterMapping: STEPFUNCTIONS_STOP_EXECUTION needs an ExecutionArn mapping.*Fix: pass parameterMapping: new ParameterMapping\(\)\.custom\('ExecutionArn'/);
  });

  test('STOP_EXECUTION with a mapping that does not set ExecutionArn fails too', () => {
    const stack = newStack();
    const integration = new HttpStepFunctionsIntegration('Stop', {
      stateMachine: machine(stack, sfn.StateMachineType.STANDARD),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
      parameterMapping: new ParameterMapping().custom('Cause', '$request.querystring.cause'),
    });
    expect(() => route(stack, integration)).toThrow(/parameterMapping: STEPFUNCTIONS_STOP_EXECUTION needs an ExecutionArn mapping/);
  });

  test.each([
    [sfn.StateMachineType.STANDARD, sfn.StateMachineType.EXPRESS, HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION],
    [sfn.StateMachineType.EXPRESS, sfn.StateMachineType.STANDARD, HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION],
  ])('a %s machine construct declared %s does not slip %s through: the prop must agree with the construct', (real, declared, subtype) => {
    const stack = newStack();
    const integration = new HttpStepFunctionsIntegration('Wrong', {
      stateMachine: machine(stack, real),
      stateMachineType: declared,
      subtype,
      parameterMapping: new ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn'),
    });
    expect(() => route(stack, integration)).toThrow(
      `[HttpStepFunctionsIntegration] stateMachineType: ${declared} contradicts the state machine Test/Machine, which is ${real}. `
      + 'Fix: leave stateMachineType out for a StateMachine construct (it is read from the machine); it is only for imported machines.');
  });

  test('timeout: written as TimeoutInMillis, 30 s included (HTTP APIs allow up to 30 s)', () => {
    const stack = newStack();
    route(stack, new HttpStepFunctionsIntegration('Sync', {
      stateMachine: machine(stack, sfn.StateMachineType.EXPRESS),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION,
      timeout: Duration.seconds(30),
    }));
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { TimeoutInMillis: 30000 });
    expect(() => new HttpStepFunctionsIntegration('Long', { stateMachine: machine(newStack(), sfn.StateMachineType.EXPRESS), timeout: Duration.seconds(31) }))
      .toThrow(/\[HttpStepFunctionsIntegration\] timeout: 31000 ms is outside what HTTP API integrations accept/);
  });

  test('START_SYNC_EXECUTION on a STANDARD machine fails, naming subtype and the fix', () => {
    const stack = newStack();
    const integration = new HttpStepFunctionsIntegration('Sync', {
      stateMachine: machine(stack, sfn.StateMachineType.STANDARD),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION,
    });
    expect(() => route(stack, integration)).toThrow(/\[HttpStepFunctionsIntegration\] subtype: STEPFUNCTIONS_START_SYNC_EXECUTION needs an EXPRESS state machine.*Fix: create the state machine with stateMachineType: StateMachineType\.EXPRESS/);
  });

  test('STOP_EXECUTION on an EXPRESS machine fails: Step Functions has no StopExecution for Express', () => {
    const stack = newStack();
    const integration = new HttpStepFunctionsIntegration('Stop', {
      stateMachine: machine(stack, sfn.StateMachineType.EXPRESS),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
      parameterMapping: new ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn'),
    });
    expect(() => route(stack, integration)).toThrow(/\[HttpStepFunctionsIntegration\] subtype: STEPFUNCTIONS_STOP_EXECUTION needs a STANDARD state machine; Step Functions does not support StopExecution for EXPRESS/);
  });

  test('a subtype of another service fails, listing the Step Functions subtypes', () => {
    const stack = newStack();
    const integration = new HttpStepFunctionsIntegration('Sqs', {
      stateMachine: machine(stack, sfn.StateMachineType.STANDARD),
      subtype: HttpIntegrationSubtype.SQS_SEND_MESSAGE,
    });
    expect(() => route(stack, integration)).toThrow(/\[HttpStepFunctionsIntegration\] subtype: 'SQS-SendMessage' belongs to another service.*STEPFUNCTIONS_START_EXECUTION/);
  });

  test("a caller's mapping without StateMachineArn gets it added, on a copy", () => {
    const stack = newStack();
    const mapping = new ParameterMapping().custom('Input', '$request.body');
    const before = { ...mapping.mappings };
    route(stack, new HttpStepFunctionsIntegration('Start', { stateMachine: machine(stack, sfn.StateMachineType.STANDARD), parameterMapping: mapping }));
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      RequestParameters: { Input: '$request.body', StateMachineArn: { Ref: Match.stringLikeRegexp('^Machine') } },
    });
    expect(mapping.mappings).toEqual(before);
  });

  test('an imported machine works with its type declared; without it, START_SYNC fails naming stateMachineType', () => {
    const stack = newStack();
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders';
    const imported = sfn.StateMachine.fromStateMachineArn(stack, 'Imported', arn);
    route(stack, new HttpStepFunctionsIntegration('Stop', {
      stateMachine: imported,
      stateMachineType: sfn.StateMachineType.STANDARD,
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
      parameterMapping: new ParameterMapping().custom('ExecutionArn', '$request.body.executionArn'),
    }));
    expect(statementsOf(stack)[0].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:us-east-1:', { Ref: 'AWS::AccountId' }, ':execution:Orders:*']] });

    const other = newStack('Other');
    const integration = new HttpStepFunctionsIntegration('Sync', {
      stateMachine: sfn.StateMachine.fromStateMachineArn(other, 'Imported', arn),
      subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION,
    });
    expect(() => route(other, integration)).toThrow(/\[HttpStepFunctionsIntegration\] stateMachineType: .* Fix: pass stateMachineType: StateMachineType\.EXPRESS or StateMachineType\.STANDARD/);
  });

  test("a caller's role is used instead of a new one, and gets the one statement", () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    route(stack, new HttpStepFunctionsIntegration('Start', { stateMachine: machine(stack, sfn.StateMachineType.STANDARD), credentialsRole: role }));
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2); // the caller's and the state machine's own
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { CredentialsArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Mine'), 'Arn'] } });
    expect(statementsOf(stack).map((s) => s.Action)).toEqual(['states:StartExecution']);
  });
});
