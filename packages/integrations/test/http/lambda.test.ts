import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpMethod, MappingValue, ParameterMapping, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from '../../src';
import { arnLike, inlineFunction, newStack, propertiesOf, renderJoin } from '../helpers';

describe('HttpLambdaIntegration', () => {
  test('an AWS_PROXY integration with payload 2.0 and the function ARN', () => {
    const stack = newStack();
    const fn = inlineFunction(stack, 'Fn');
    new HttpApi(stack, 'Api').addRoutes({ path: '/books', methods: [HttpMethod.GET], integration: new HttpLambdaIntegration('Books', fn) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] },
    });
  });

  test('one permission per route, each scoped to its route path', () => {
    const stack = newStack();
    const fn = inlineFunction(stack, 'Fn');
    const api = new HttpApi(stack, 'Api');
    const integration = new HttpLambdaIntegration('Books', fn);
    api.addRoutes({ path: '/books', methods: [HttpMethod.GET, HttpMethod.POST], integration });
    api.addRoutes({ path: '/books/{id}', methods: [HttpMethod.GET], integration });

    expect(propertiesOf(stack, 'AWS::ApiGatewayV2::Integration')).toHaveLength(1);
    const permissions = propertiesOf(stack, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(3);
    const suffixes = permissions.map((p) => JSON.stringify(p.SourceArn)).map((s) => s.match(/\/\*\/\*([^"]*)"/)![1]).sort();
    expect(suffixes).toEqual(['/books', '/books', '/books/{id}']);
    for (const p of permissions) {
      expect(p).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: 'apigateway.amazonaws.com' });
    }
  });

  test('scopePermissionToRoute: false gives one permission per function and API, for every route', () => {
    const stack = newStack();
    const fn = inlineFunction(stack, 'Fn');
    const api = new HttpApi(stack, 'Api');
    const integration = new HttpLambdaIntegration('Books', fn, { scopePermissionToRoute: false });
    api.addRoutes({ path: '/books', methods: [HttpMethod.GET, HttpMethod.POST], integration });
    api.addRoutes({ path: '/books/{id}', methods: [HttpMethod.GET], integration });
    const permissions = propertiesOf(stack, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(1);
  });

  test.each([true, false])('scopePermissionToRoute: %s: the source ARN matches how AWS invokes the $default route and a method route, and no other API', (scoped) => {
    const stack = newStack();
    const fn = inlineFunction(stack, 'Fn');
    const integration = new HttpLambdaIntegration('Books', fn, { scopePermissionToRoute: scoped });
    const api = new HttpApi(stack, 'Api', { defaultIntegration: integration });
    if (!scoped) api.addRoutes({ path: '/books/{id}', methods: [HttpMethod.GET], integration });
    const arns = propertiesOf(stack, 'AWS::Lambda::Permission').map((p) => renderJoin(p.SourceArn, { 'AWS::Partition': 'aws', 'AWS::AccountId': '111122223333', 'Api': 'a1b2c3d4e5' }));
    const invoked = (path: string) => `arn:aws:execute-api:us-east-1:111122223333:${path}`;
    expect(arns.some((arn) => arnLike(arn, invoked('a1b2c3d4e5/$default/$default')))).toBe(true);
    expect(arns.some((arn) => arnLike(arn, invoked('a1b2c3d4e5/prod/$default')))).toBe(true);
    if (!scoped) expect(arns.some((arn) => arnLike(arn, invoked('a1b2c3d4e5/prod/GET/books/42')))).toBe(true);
    expect(arns.some((arn) => arnLike(arn, invoked('zzzzzzzzzz/prod/$default')))).toBe(false);
  });

  test('arnLike follows IAM: * crosses slashes, and the old */*/* source ARN misses $default', () => {
    expect(arnLike('arn:x:api/*/*/*', 'arn:x:api/prod/$default')).toBe(false);
    expect(arnLike('arn:x:api/*/*', 'arn:x:api/prod/$default')).toBe(true);
    expect(arnLike('arn:x:api/*/*', 'arn:x:api/prod/GET/a/b')).toBe(true);
  });

  test('payload format 1.0 and a parameter mapping pass through', () => {
    const stack = newStack();
    const fn = inlineFunction(stack, 'Fn');
    new HttpApi(stack, 'Api', {
      defaultIntegration: new HttpLambdaIntegration('DefaultIntegration', fn, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_1_0,
        parameterMapping: new ParameterMapping().overwritePath(MappingValue.custom('/v1')),
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      PayloadFormatVersion: '1.0',
      RequestParameters: { 'overwrite:path': '/v1' },
    });
  });

  test.each([
    [Duration.seconds(10), 10_000],
    [Duration.seconds(29), 29_000],
    [Duration.millis(29_500), 29_500],
    [Duration.seconds(30), 30_000],
  ])('a timeout of %s is written as %d ms (HTTP APIs allow up to 30 s)', (timeout, ms) => {
    const stack = newStack();
    const fn = inlineFunction(stack, 'Fn');
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpLambdaIntegration('DefaultIntegration', fn, { timeout }) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { TimeoutInMillis: ms });
  });

  test.each([Duration.millis(49), Duration.millis(30_001), Duration.minutes(1)])('a timeout of %s fails at synth, naming the prop and the range', (timeout) => {
    const stack = newStack();
    expect(() => new HttpLambdaIntegration('DefaultIntegration', inlineFunction(stack, 'Fn'), { timeout }))
      .toThrow(/\[HttpLambdaIntegration\] timeout: \d+ ms is outside what HTTP API integrations accept \(50 ms to 30 s\)\. Fix: pass a Duration between/);
  });

  test('a 30 s timeout on an integration shared by two routes is written once, on the one integration', () => {
    const stack = newStack();
    const fn = inlineFunction(stack, 'Fn');
    const integration = new HttpLambdaIntegration('Shared', fn, { timeout: Duration.seconds(30) });
    const api = new HttpApi(stack, 'Api');
    api.addRoutes({ path: '/a', methods: [HttpMethod.GET], integration });
    api.addRoutes({ path: '/b', methods: [HttpMethod.GET], integration });
    const integrations = propertiesOf(stack, 'AWS::ApiGatewayV2::Integration');
    expect(integrations.map((i) => i.TimeoutInMillis)).toEqual([30_000]);
  });
});
