import { App, Errors, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { MappingValue, ParameterMapping } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { PrivateAlbApi, PrivateAlbApiStack, PrivateTarget } from '../src';

const env = { region: 'us-east-1' };
const entries = (t: Template, type: string) => Object.entries(t.findResources(type)) as [string, any][];

function build(props: ConstructorParameters<typeof PrivateAlbApiStack>[2] = {}) {
  return Template.fromStack(new PrivateAlbApiStack(new App(), 'Private', { env, ...props }));
}

/** Every ingress rule of the security group `groupId`, in both forms CDK writes. */
function ingressOf(t: Template, groupLogicalId: string) {
  const inline = entries(t, 'AWS::EC2::SecurityGroup').filter(([id]) => id === groupLogicalId).flatMap(([, g]) => g.Properties.SecurityGroupIngress ?? []);
  const separate = entries(t, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((r) => r.GroupId['Fn::GetAtt']?.[0] === groupLogicalId);
  return [...inline, ...separate];
}

describe('the default target: an internal ALB in front of a Fargate service', () => {
  const t = build({ privateAlbApi: { parameterMapping: new ParameterMapping().appendHeader('header2', MappingValue.requestHeader('header1')).removeHeader('header1') } });
  const albGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('AlbSecurityGroup'))![0];
  const linkGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('VpcLinkSecurityGroup'))![0];

  test('the ALB is internal, in private subnets, with access logs', () => {
    const [, lb] = entries(t, 'AWS::ElasticLoadBalancingV2::LoadBalancer')[0];
    expect(lb.Properties.Scheme).toBe('internal');
    expect(lb.Properties.LoadBalancerAttributes).toEqual(expect.arrayContaining([{ Key: 'access_logs.s3.enabled', Value: 'true' }]));
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
  });

  test('no 0.0.0.0/0 or ::/0 ingress on the ALB group; its only ingress is the VPC link group on the listener port', () => {
    const rules = ingressOf(t, albGroup);
    expect(rules.filter((r) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0')).toEqual([]);
    expect(rules).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: { 'Fn::GetAtt': [linkGroup, 'GroupId'] } })]);
    expect(entries(t, 'AWS::ApiGatewayV2::VpcLink')[0][1].Properties.SecurityGroupIds).toEqual([{ 'Fn::GetAtt': [linkGroup, 'GroupId'] }]);
  });

  test('ANY /{proxy+} and the default route go over the VPC link to the listener, with the seed\'s mapping', () => {
    const keys = entries(t, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.RouteKey).sort();
    expect(keys).toEqual(['$default', 'ANY /{proxy+}']);
    t.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ConnectionType: 'VPC_LINK',
      IntegrationUri: { Ref: Match.stringLikeRegexp('AlbHttp') },
      RequestParameters: { 'append:header.header2': '$request.header.header1', 'remove:header.header1': '' },
    });
  });

  test('the Fargate service: two tasks, no public IP, Container Insights, reachable from the ALB only', () => {
    t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 2, NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
    t.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
    const serviceGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('ServiceSecurityGroup'))![0];
    expect(ingressOf(t, serviceGroup).map((r) => r.SourceSecurityGroupId)).toEqual([{ 'Fn::GetAtt': [albGroup, 'GroupId'] }]);
  });

  test('deployments: circuit breaker with rollback, never below the desired count, up to twice it', () => {
    t.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
    });
  });

  test('the VPC: two AZs, one NAT gateway, flow logs', () => {
    t.resourceCountIs('AWS::EC2::NatGateway', 1);
    t.resourceCountIs('AWS::EC2::FlowLog', 1);
  });
});

test('an HTTPS listener with a certificate, and TLS from API Gateway with secureServerName', () => {
  const t = build({ privateAlbApi: { target: PrivateTarget.alb({ certificate: elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:123456789012:certificate/abc'), secureServerName: 'service.example.com' }) } });
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
  t.hasResourceProperties('AWS::ApiGatewayV2::Integration', { TlsConfig: { ServerNameToVerify: 'service.example.com' } });
});

test('an existing listener with the vpc: no load balancer or service is created', () => {
  const stack = new Stack(new App(), 'Existing', { env });
  const vpc = new ec2.Vpc(stack, 'Vpc');
  const listener = elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'L', {
    listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/1/2',
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0'),
    defaultPort: 80,
  });
  new PrivateAlbApi(stack, 'Api', { vpc, target: PrivateTarget.alb({ existingListener: listener }) });
  const t = Template.fromStack(stack);
  t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  t.resourceCountIs('AWS::ECS::Service', 0);
  t.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationUri: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/1/2' });
  // The existing listener's group admits the VPC link's group, and only on the listener port.
  const linkGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('VpcLinkSecurityGroup'))![0];
  const rules = entries(t, 'AWS::EC2::SecurityGroupIngress').map(([, r]) => r.Properties).filter((r) => r.GroupId === 'sg-0123456789abcdef0');
  expect(rules).toEqual([expect.objectContaining({ FromPort: 80, ToPort: 80, IpProtocol: 'tcp', SourceSecurityGroupId: { 'Fn::GetAtt': [linkGroup, 'GroupId'] } })]);
});

describe('misconfigured ALB targets fail at synth, naming the prop and the fix', () => {
  const certificate = elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:123456789012:certificate/abc');
  const listenerIn = (stack: Stack) => elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'L', {
    listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/1/2',
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0'),
    defaultPort: 443,
  });

  test('a certificate without secureServerName, or the name without a certificate', () => {
    expect(() => build({ privateAlbApi: { target: PrivateTarget.alb({ certificate }) } })).toThrow(
      /\[PrivateAlbApi\] secureServerName: a certificate makes the listener HTTPS, but without a server name API Gateway speaks plain HTTP to it\. Fix: give the name in the certificate/,
    );
    expect(() => build({ privateAlbApi: { target: PrivateTarget.alb({ secureServerName: 'api.internal.example.com' }) } })).toThrow(
      /\[PrivateAlbApi\] certificate: secureServerName makes API Gateway speak TLS, but without a certificate the new listener is plain HTTP\. Fix: give the certificate of that name, or drop secureServerName/,
    );
  });

  test('an existing listener without its vpc; an existing listener with a certificate', () => {
    const stack = new Stack(new App(), 'NoVpc', { env });
    expect(() => new PrivateAlbApi(stack, 'Api', { target: PrivateTarget.alb({ existingListener: listenerIn(stack) }) })).toThrow(
      /\[PrivateAlbApi\] vpc: existingListener is given without the VPC it lives in;.*which EC2 rejects\. Fix: give vpc: the listener's VPC.*\(at NoVpc\/Api\)/,
    );
    const other = new Stack(new App(), 'WithCert', { env });
    const vpc = new ec2.Vpc(other, 'Vpc');
    expect(() => new PrivateAlbApi(other, 'Api', { vpc, target: PrivateTarget.alb({ existingListener: listenerIn(other), certificate }) })).toThrow(
      /\[PrivateAlbApi\] certificate: applies to the listener this target creates, and existingListener was given/,
    );
    // With the vpc and a server name, an existing HTTPS listener is fine.
    const ok = new Stack(new App(), 'Ok', { env });
    new PrivateAlbApi(ok, 'Api', { vpc: new ec2.Vpc(ok, 'Vpc'), target: PrivateTarget.alb({ existingListener: listenerIn(ok), secureServerName: 'shared.internal' }) });
    Template.fromStack(ok).hasResourceProperties('AWS::ApiGatewayV2::Integration', { TlsConfig: { ServerNameToVerify: 'shared.internal' } });
  });
});

test('an NLB created with security groups admits the VPC link group only', () => {
  const t = build({ privateAlbApi: { target: PrivateTarget.nlb() } });
  const nlbGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('NlbSecurityGroup'))![0];
  const linkGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('VpcLinkSecurityGroup'))![0];
  t.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Type: 'network', Scheme: 'internal', SecurityGroups: [{ 'Fn::GetAtt': [nlbGroup, 'GroupId'] }] });
  const rules = ingressOf(t, nlbGroup);
  expect(rules).toEqual([expect.objectContaining({ FromPort: 80, SourceSecurityGroupId: { 'Fn::GetAtt': [linkGroup, 'GroupId'] } })]);
  t.hasResourceProperties('AWS::ApiGatewayV2::Integration', { ConnectionType: 'VPC_LINK', IntegrationUri: { Ref: Match.stringLikeRegexp('NlbTcp') } });
});

test('a Cloud Map target: SRV records, the service admits the VPC link group only', () => {
  const t = build({ privateAlbApi: { target: PrivateTarget.cloudMap({ containerPort: 8080 }) } });
  t.resourceCountIs('AWS::ElasticLoadBalancingV2::LoadBalancer', 0);
  t.hasResourceProperties('AWS::ServiceDiscovery::Service', { DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 60 }] } });
  const linkGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('VpcLinkSecurityGroup'))![0];
  const serviceGroup = entries(t, 'AWS::EC2::SecurityGroup').find(([id]) => id.includes('ServiceSecurityGroup'))![0];
  expect(ingressOf(t, serviceGroup)).toEqual([expect.objectContaining({ FromPort: 8080, SourceSecurityGroupId: { 'Fn::GetAtt': [linkGroup, 'GroupId'] } })]);
  t.hasResourceProperties('AWS::ApiGatewayV2::Integration', { ConnectionType: 'VPC_LINK', IntegrationUri: { 'Fn::GetAtt': [Match.stringLikeRegexp('ServiceCloudmapService'), 'Arn'] } });
});

test('without a concrete region, the ALB target fails at synth, saying why', () => {
  expect(() => new PrivateAlbApiStack(new App(), 'Anywhere'))
    .toThrow(/\[PrivateAlbApi\] env\.region: ALB access logging needs a concrete region.*Fix: give the stack env: \{ region:/);
});

test('an authorizer applies to both routes', () => {
  const t = build({ privateAlbApi: { target: PrivateTarget.cloudMap(), authorizer: new HttpIamAuthorizer() } });
  expect(entries(t, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties.AuthorizationType)).toEqual(['AWS_IAM', 'AWS_IAM']);
});

test('pattern props reach the template: throttle on the stage, logRetention on the flow and container logs, accessLogRetention on the access logs', () => {
  const t = build({
    privateAlbApi: {
      throttle: { rateLimit: 5, burstLimit: 10 },
      logRetention: logs.RetentionDays.ONE_WEEK,
      accessLogRetention: logs.RetentionDays.THREE_MONTHS,
    },
  });
  t.hasResourceProperties('AWS::ApiGatewayV2::Stage', { DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } });
  const groups = entries(t, 'AWS::Logs::LogGroup');
  const retention = (part: string) => groups.filter(([id]) => id.includes(part)).map(([, g]) => g.Properties.RetentionInDays);
  expect([retention('FlowLogGroup'), retention('TaskWebLogGroup'), retention('AccessLog')]).toEqual([[7], [7], [90]]);
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

describe('PrivateAlbApi\'s own checks are aws-cdk-lib validation errors with a stable code, as the integrations\' are', () => {
  const certificate = elbv2.ListenerCertificate.fromArn('arn:aws:acm:us-east-1:123456789012:certificate/abc');
  const listener = (stack: Stack, defaultPort?: number) => elbv2.ApplicationListener.fromApplicationListenerAttributes(stack, 'L', {
    listenerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/shared/1/2',
    securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', 'sg-0123456789abcdef0'),
    defaultPort,
  });
  const api = (stack: Stack, target: PrivateTarget, withVpc = true) => new PrivateAlbApi(stack, 'Api', { vpc: withVpc ? new ec2.Vpc(stack, 'Vpc') : undefined, target });
  test.each<[string, (stack: Stack) => unknown]>([
    ['RegionRequired', (s) => new PrivateAlbApi(s, 'Api', { target: PrivateTarget.alb() })],
    ['ListenerVpcRequired', (s) => api(s, PrivateTarget.alb({ existingListener: listener(s, 443) }), false)],
    ['ListenerPortUnknown', (s) => api(s, PrivateTarget.alb({ existingListener: listener(s) }))],
    ['CertificateWithExistingListener', (s) => api(s, PrivateTarget.alb({ existingListener: listener(s, 443), certificate }))],
    ['ServerNameRequired', (s) => api(s, PrivateTarget.alb({ certificate }))],
    ['CertificateRequired', (s) => api(s, PrivateTarget.alb({ secureServerName: 'api.internal.example.com' }))],
  ])('%s', (code, make) => {
    const stack = new Stack(new App(), 'Codes', { env: code === 'RegionRequired' ? undefined : env });
    const error = thrown(() => make(stack));
    expect([Errors.isValidationError(error), error.name, error.code]).toEqual([true, code, code]);
    expect(error.message).toMatch(/^\[PrivateAlbApi\] [\w.]+: .+\. Fix: .+\. \(at Codes\/Api\)$/s);
  });
});
