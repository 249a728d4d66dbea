import { Duration, Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpMethod, MappingValue, ParameterMapping } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from '../../src';
import { newStack } from '../helpers';

describe('HttpUrlIntegration', () => {
  test('an HTTP_PROXY integration with payload 1.0, method and mapping', () => {
    const stack = newStack();
    new HttpApi(stack, 'Api').addRoutes({
      path: '/books',
      methods: [HttpMethod.GET],
      integration: new HttpUrlIntegration('Books', 'https://get-books-proxy.example.com', {
        method: HttpMethod.PATCH,
        parameterMapping: new ParameterMapping().appendHeader('x-from', MappingValue.requestHeader('host')),
        timeout: Duration.seconds(5),
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      IntegrationUri: 'https://get-books-proxy.example.com',
      IntegrationMethod: 'PATCH',
      PayloadFormatVersion: '1.0',
      RequestParameters: { 'append:header.x-from': '$request.header.host' },
      TimeoutInMillis: 5000,
    });
  });

  test('the method defaults to ANY', () => {
    const stack = newStack();
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpUrlIntegration('DefaultIntegration', 'http://example.com') });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationMethod: 'ANY' });
  });

  test.each(['ftp://example.com', 'example.com', 'arn:aws:s3:::bucket', 'https://', ''])('%j is not an http(s) URL: fails at synth', (url) => {
    expect(() => new HttpUrlIntegration('Bad', url))
      .toThrow(/\[HttpUrlIntegration\] url: .* is not an absolute http:\/\/ or https:\/\/ URL.*Fix: pass a URL such as/);
  });

  test('an unresolved token is accepted unchecked', () => {
    const stack = newStack();
    const url = Token.asString({ 'Fn::ImportValue': 'BackendUrl' });
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpUrlIntegration('DefaultIntegration', url) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationUri: { 'Fn::ImportValue': 'BackendUrl' } });
  });

  test('a 30 s timeout is written onto the integration (HTTP APIs allow 30 s, the base class stops at 29 s)', () => {
    const stack = newStack();
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpUrlIntegration('DefaultIntegration', 'https://example.com', { timeout: Duration.seconds(30) }) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { TimeoutInMillis: 30_000 });
  });
});
