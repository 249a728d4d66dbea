import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpMethod, MappingValue, ParameterMapping, VpcLink } from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { HttpAlbIntegration, HttpNlbIntegration, HttpServiceDiscoveryIntegration } from '../../src';
import { newStack, propertiesOf } from '../helpers';

function alb(stack: Stack, open = true) {
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc });
  const listener = lb.addListener('Listener', { port: 80, open });
  listener.addTargets('Target', { port: 80 });
  return { vpc, lb, listener };
}

function nlb(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const lb = new elbv2.NetworkLoadBalancer(stack, 'Lb', { vpc });
  const listener = lb.addListener('Listener', { port: 80 });
  listener.addTargets('Target', { port: 80 });
  return { vpc, lb, listener };
}

const IMPORTED_LISTENER = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/lb/50dc6c495c0c9188/f2f7dc8efc522ab2';

describe('HttpAlbIntegration', () => {
  test('an HTTP_PROXY integration over a VPC link created for the load balancer VPC', () => {
    const stack = newStack();
    const { listener } = alb(stack);
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpAlbIntegration('DefaultIntegration', listener) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'HTTP_PROXY',
      ConnectionType: 'VPC_LINK',
      ConnectionId: { Ref: Match.stringLikeRegexp('VpcLink') },
      IntegrationUri: { Ref: Match.stringLikeRegexp('^LbListener') },
      IntegrationMethod: 'ANY',
      PayloadFormatVersion: '1.0',
    });
  });

  test("the seed's mapping: append header2 from header1, remove header1", () => {
    const stack = newStack();
    const { listener } = alb(stack);
    new HttpApi(stack, 'Api', {
      defaultIntegration: new HttpAlbIntegration('DefaultIntegration', listener, {
        parameterMapping: new ParameterMapping().appendHeader('header2', MappingValue.requestHeader('header1')).removeHeader('header1'),
      }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      RequestParameters: { 'append:header.header2': '$request.header.header1', 'remove:header.header1': '' },
    });
  });

  test('an imported listener with vpc: a VPC link is created in that VPC', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Imported', {
      listenerArn: IMPORTED_LISTENER,
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-12345678'),
    });
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpAlbIntegration('DefaultIntegration', listener, { vpc }) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationUri: IMPORTED_LISTENER });
  });

  test('an imported listener with neither vpcLink nor vpc fails, naming both', () => {
    const stack = newStack();
    const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'Imported', {
      listenerArn: IMPORTED_LISTENER,
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-12345678'),
    });
    expect(() => new HttpApi(stack, 'Api', { defaultIntegration: new HttpAlbIntegration('DefaultIntegration', listener) }))
      .toThrow(/\[HttpAlbIntegration\] vpcLink: the listener was imported, and an imported listener does not say which VPC it is in, so no VPC link can be created for it\. Fix: pass vpcLink \(an existing VPC link\) or vpc/);
  });

  test('restrictToVpcLink: the link gets its own group, the only one the listener admits, on the listener port', () => {
    const stack = newStack();
    const { listener } = alb(stack, false);
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpAlbIntegration('DefaultIntegration', listener, { restrictToVpcLink: true }) });
    const template = Template.fromStack(stack);
    const link = propertiesOf(stack, 'AWS::ApiGatewayV2::VpcLink')[0];
    expect(link.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/VpcLinkSecurityGroup/), 'GroupId'] }]);
    const ingress = propertiesOf(stack, 'AWS::EC2::SecurityGroupIngress');
    expect(ingress).toEqual([expect.objectContaining({
      IpProtocol: 'tcp',
      FromPort: 80,
      ToPort: 80,
      SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/VpcLinkSecurityGroup/), 'GroupId'] },
    })]);
    const inline = propertiesOf(stack, 'AWS::EC2::SecurityGroup').flatMap((g) => g.SecurityGroupIngress ?? []);
    expect(inline).toEqual([]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { FromPort: 80, ToPort: 80, DestinationSecurityGroupId: Match.anyValue() });
  });

  test('restrictToVpcLink with a given vpcLink fails: the integration cannot add a group to it', () => {
    const stack = newStack();
    const { listener, vpc } = alb(stack, false);
    const vpcLink = new VpcLink(stack, 'Link', { vpc });
    expect(() => new HttpApi(stack, 'Api', { defaultIntegration: new HttpAlbIntegration('DefaultIntegration', listener, { vpcLink, restrictToVpcLink: true }) }))
      .toThrow(/\[HttpAlbIntegration\] restrictToVpcLink: .*vpcLink was given/);
  });

  test('routes to two load balancers in one VPC share one VPC link', () => {
    const stack = newStack();
    const { vpc, listener } = alb(stack);
    const other = new elbv2.ApplicationLoadBalancer(stack, 'Other', { vpc }).addListener('L', { port: 8080 });
    other.addTargets('T', { port: 8080 });
    const api = new HttpApi(stack, 'Api');
    api.addRoutes({ path: '/a', methods: [HttpMethod.GET], integration: new HttpAlbIntegration('A', listener) });
    api.addRoutes({ path: '/b', methods: [HttpMethod.GET], integration: new HttpAlbIntegration('B', other) });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
  });

  test('a 30 s timeout reaches the template', () => {
    const stack = newStack();
    const { listener } = alb(stack);
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpAlbIntegration('DefaultIntegration', listener, { timeout: Duration.seconds(30) }) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', { TimeoutInMillis: 30_000 });
  });
});

describe('HttpNlbIntegration', () => {
  test('an HTTP_PROXY integration over a VPC link, with the link security groups given', () => {
    const stack = newStack();
    const { vpc, listener } = nlb(stack);
    const linkGroup = new ec2.SecurityGroup(stack, 'LinkGroup', { vpc });
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpNlbIntegration('DefaultIntegration', listener, { vpcLinkSecurityGroups: [linkGroup] }) });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ConnectionType: 'VPC_LINK', IntegrationUri: { Ref: Match.stringLikeRegexp('^LbListener') },
    });
    expect(propertiesOf(stack, 'AWS::ApiGatewayV2::VpcLink')[0].SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [expect.stringMatching(/^LinkGroup/), 'GroupId'] }]);
  });

  test('an imported listener with neither vpcLink nor vpc fails', () => {
    const stack = newStack();
    const listener = elbv2.NetworkListener.fromNetworkListenerArn(stack, 'Imported', IMPORTED_LISTENER.replace('/app/', '/net/'));
    expect(() => new HttpApi(stack, 'Api', { defaultIntegration: new HttpNlbIntegration('DefaultIntegration', listener) }))
      .toThrow(/\[HttpNlbIntegration\] vpcLink: .*Fix: pass vpcLink .* or vpc/);
  });
});

describe('HttpServiceDiscoveryIntegration', () => {
  function service(stack: Stack) {
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const namespace = new servicediscovery.PrivateDnsNamespace(stack, 'Namespace', { name: 'boobar.com', vpc });
    return { vpc, service: namespace.createService('Service') };
  }

  test('the Cloud Map service ARN over the given VPC link, with the timeout kept (aws-cdk-lib drops it)', () => {
    const stack = newStack();
    const { vpc, service: svc } = service(stack);
    const vpcLink = new VpcLink(stack, 'VpcLink', { vpc });
    new HttpApi(stack, 'Api', {
      defaultIntegration: new HttpServiceDiscoveryIntegration('DefaultIntegration', svc, { vpcLink, timeout: Duration.seconds(12) }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ConnectionType: 'VPC_LINK',
      ConnectionId: { Ref: Match.stringLikeRegexp('^VpcLink') },
      IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NamespaceService'), 'Arn'] },
      TimeoutInMillis: 12_000,
    });
  });

  test('vpc instead of vpcLink creates a link in it', () => {
    const stack = newStack();
    const { vpc, service: svc } = service(stack);
    new HttpApi(stack, 'Api', { defaultIntegration: new HttpServiceDiscoveryIntegration('DefaultIntegration', svc, { vpc }) });
    Template.fromStack(stack).resourceCountIs('AWS::ApiGatewayV2::VpcLink', 1);
  });

  test('neither vpcLink nor vpc fails, naming both', () => {
    const stack = newStack();
    const { service: svc } = service(stack);
    expect(() => new HttpApi(stack, 'Api', { defaultIntegration: new HttpServiceDiscoveryIntegration('DefaultIntegration', svc) }))
      .toThrow(/\[HttpServiceDiscoveryIntegration\] vpcLink: a Cloud Map service does not say which VPC its instances are in \(created in this stack or imported\), so no VPC link can be created for it\. Fix: pass vpcLink \(an existing VPC link\) or vpc/);
  });
});
