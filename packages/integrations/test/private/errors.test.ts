import { Duration, Errors } from 'aws-cdk-lib';
import { HttpApi, HttpIntegrationSubtype } from 'aws-cdk-lib/aws-apigatewayv2';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { HttpStepFunctionsIntegration, HttpUrlIntegration } from '../../src';
import { IntegrationConfigError } from '../../src/private/errors';
import { newStack } from '../helpers';

function thrown(f: () => unknown): any {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('configuration errors are aws-cdk-lib validation errors', () => {
  test('bound to a route: Errors.isValidationError, a stable code, the construct path, the prop and the fix', () => {
    const stack = newStack();
    const machine = new sfn.StateMachine(stack, 'Machine', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')),
    });
    const integration = new HttpStepFunctionsIntegration('Stop', { stateMachine: machine, subtype: HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION });
    const error = thrown(() => new HttpApi(stack, 'Api', { defaultIntegration: integration }));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error).toBeInstanceOf(IntegrationConfigError);
    expect(error.code).toBe('StopOnExpress');
    expect(error.message).toMatch(/^\[HttpStepFunctionsIntegration\] subtype: .* Fix: .*\. \(at Test\/Api\/DefaultRoute\)$/);
  });

  test('found before any route exists (a constructor prop): still a validation error with its code', () => {
    const error = thrown(() => new HttpUrlIntegration('Url', 'ftp://example.com'));
    expect(Errors.isValidationError(error)).toBe(true);
    expect(error.code).toBe('UrlNotHttp');
    const timeout = thrown(() => new HttpUrlIntegration('Url', 'https://example.com', { timeout: Duration.minutes(1) }));
    expect([Errors.isValidationError(timeout), timeout.code]).toEqual([true, 'TimeoutOutOfRange']);
  });
});

test('the pattern packages\' deep import: lib/private/errors.js exports configError(where, code, owner, prop, problem, fix)', () => {
  // The compiled file the patterns load, resolved by the package name as theirs is, not the source.
  // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
  const shared = require('@apigw-blueprints/integrations/lib/private/errors');
  const stack = newStack();
  const error = thrown(() => shared.configError(stack, 'SomeCode', 'SomePattern', 'someProp', 'is wrong', 'set it right'));
  expect([Errors.isValidationError(error), error.code, error.message]).toEqual([true, 'SomeCode', '[SomePattern] someProp: is wrong. Fix: set it right. (at Test)']);
});
