import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CorsHttpMethod, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { HttpLambdaIntegration, HttpUrlIntegration, PatternHttpApi } from '../../src';
import { inlineFunction, newStack } from '../helpers';

const acknowledged = (c: { node: { metadata: { type: string }[] } }) =>
  c.node.metadata.some((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);

test('an API, a DefaultHttpStage and no CORS by default; open routes are acknowledged for cdk-nag', () => {
  const stack = newStack();
  const parts = PatternHttpApi.create(stack, { owner: 'Demo', corsAllowMethods: [CorsHttpMethod.GET] });
  const route = PatternHttpApi.addRoute(parts, '/x', HttpMethod.GET, new HttpUrlIntegration('X', 'https://example.com'));
  const t = Template.fromStack(stack);
  expect((Object.values(t.findResources('AWS::ApiGatewayV2::Api'))[0] as any).Properties.CorsConfiguration).toBeUndefined();
  t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
  expect(parts.domain).toBeUndefined();
  expect(acknowledged(route)).toBe(true);
});

test('the authorizer applies to every route (the default route too), and nothing is acknowledged', () => {
  const stack = newStack();
  const parts = PatternHttpApi.create(stack, {
    owner: 'Demo',
    corsAllowMethods: [CorsHttpMethod.ANY],
    authorizer: new HttpIamAuthorizer(),
    defaultIntegration: new HttpUrlIntegration('Fallback', 'https://example.com'),
    corsAllowOrigins: ['https://app.example.com'],
  });
  const route = PatternHttpApi.addRoute(parts, '/x', HttpMethod.POST, new HttpUrlIntegration('X', 'https://example.com'));
  const t = Template.fromStack(stack);
  const types = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r: any) => r.Properties.AuthorizationType);
  expect(types).toEqual(['AWS_IAM', 'AWS_IAM']);
  expect(acknowledged(route)).toBe(false);
  t.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: { AllowOrigins: ['https://app.example.com'], AllowMethods: ['*'] } });
});

test('a custom domain maps to the stage; half a domain fails, naming the owner and the prop', () => {
  const stack = newStack();
  const certificate = acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc');
  const parts = PatternHttpApi.create(stack, { owner: 'Demo', corsAllowMethods: [], domainName: 'api.example.com', certificate });
  expect(parts.domain).toBeDefined();
  Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  expect(() => PatternHttpApi.create(newStack('Other'), { owner: 'Demo', corsAllowMethods: [], domainName: 'api.example.com' }))
    .toThrow(/\[Demo\] certificate: a custom domain needs both domainName and certificate\. Fix: give both, or neither/);
});

describe('existingApi', () => {
  test('hands back the given API with no stage or domain, and adds routes to it with its default authorizer', () => {
    const stack = newStack();
    const existingApi = new HttpApi(stack, 'Mine', { defaultAuthorizer: new HttpIamAuthorizer() });
    const parts = PatternHttpApi.create(stack, { owner: 'Demo', corsAllowMethods: [CorsHttpMethod.GET], existingApi });
    expect([parts.api, parts.routeScope, parts.owner, parts.watchedStageName, parts.stage]).toEqual([existingApi, stack, 'Demo', '$default', undefined]);
    const route = PatternHttpApi.addRoute(parts, '/x', HttpMethod.GET, new HttpUrlIntegration('X', 'https://example.com'));
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    // The API's own $default stage only: none from the pattern.
    t.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    t.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /x', AuthorizationType: 'AWS_IAM' });
    expect(acknowledged(route)).toBe(false);
  });

  test.each(['corsAllowOrigins', 'authorizer', 'throttle', 'accessLogRetention', 'domainName', 'certificate'] as const)(
    '%s with existingApi fails at synth, naming both props', (prop) => {
      const stack = newStack();
      const values = {
        corsAllowOrigins: ['https://app.example.com'],
        authorizer: new HttpIamAuthorizer(),
        throttle: { rateLimit: 1 },
        accessLogRetention: RetentionDays.ONE_DAY,
        domainName: 'api.example.com',
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:123456789012:certificate/abc'),
      };
      expect(() => PatternHttpApi.create(stack, { owner: 'Demo', corsAllowMethods: [], existingApi: new HttpApi(stack, 'Mine'), [prop]: values[prop] }))
        .toThrow(new RegExp(`^\\[Demo\\] ${prop}: configures the API, and existingApi was given: .*Fix: set it on your HttpApi \\(or its stage\\) instead, `
          + 'or drop existingApi to let Demo create the API\\. \\(at Test\\)$'));
    });

  test('a route key the API already has fails at synth instead of at deploy', () => {
    const stack = newStack();
    const existingApi = new HttpApi(stack, 'Mine');
    existingApi.addRoutes({ path: '/books', methods: [HttpMethod.GET], integration: new HttpUrlIntegration('Own', 'https://example.com') });
    const parts = PatternHttpApi.create(stack, { owner: 'Demo', corsAllowMethods: [], existingApi });
    expect(() => PatternHttpApi.addRoute(parts, '/books', HttpMethod.GET, new HttpUrlIntegration('X', 'https://example.com')))
      .toThrow(/^\[Demo\] existingApi: the API already has a route GET \/books\. Fix: .*\(at Test\)$/);
    expect(() => PatternHttpApi.addRoute(parts, '/books', HttpMethod.POST, new HttpUrlIntegration('Y', 'https://example.com'))).not.toThrow();
  });
});

test('an existing API in another stack: the routes, integrations and permissions live in the pattern\'s stack, and references run one way', () => {
  const app = new App();
  const shared = new Stack(app, 'Shared', { env: { region: 'us-east-1' } });
  const existingApi = new HttpApi(shared, 'Api');
  const patternStack = new Stack(app, 'Pattern', { env: { region: 'us-east-1' } });
  const parts = PatternHttpApi.create(patternStack, { owner: 'Demo', corsAllowMethods: [], existingApi });
  PatternHttpApi.addRoute(parts, '/hello', HttpMethod.GET, new HttpLambdaIntegration('Hello', inlineFunction(patternStack, 'Fn')));
  // A route key taken by a route made in yet another scope is found too.
  expect(() => PatternHttpApi.addRoute(parts, '/hello', HttpMethod.GET, new HttpUrlIntegration('Again', 'https://example.com')))
    .toThrow(/existingApi: the API already has a route GET \/hello/);
  const assembly = app.synth();
  const stackDependencies = (name: string) => assembly.getStackByName(name).dependencies.map((d) => d.id).filter((id) => !id.endsWith('.assets'));
  expect(stackDependencies('Pattern')).toEqual(['Shared']);
  expect(stackDependencies('Shared')).toEqual([]);
  const pattern = Template.fromStack(patternStack);
  pattern.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
  pattern.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
  pattern.resourceCountIs('AWS::Lambda::Permission', 1);
  Template.fromStack(shared).resourceCountIs('AWS::ApiGatewayV2::Route', 0);
});
