import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { PrivateAlbApiStack } from '../src';

const template = Template.fromStack(new PrivateAlbApiStack(new App(), 'Alb', { env: { region: 'us-east-1' } }));

test('the load balancer is internal and reached through a VPC link', () => {
  template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internal' });
  template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { ConnectionType: 'VPC_LINK', IntegrationUri: { Ref: Match.stringLikeRegexp('AlbHttp') } });
});

test('nothing but the VPC link security group can reach the load balancer', () => {
  const inline = Object.values(template.findResources('AWS::EC2::SecurityGroup'))
    .flatMap((g: any) => g.Properties.SecurityGroupIngress ?? []);
  const separate = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r: any) => r.Properties);
  const rules = [...inline, ...separate];
  expect(rules.filter((r: any) => r.CidrIp === '0.0.0.0/0' || r.CidrIpv6 === '::/0')).toEqual([]);
  expect(separate).toHaveLength(1);
  expect(separate[0]).toMatchObject({ FromPort: 80, ToPort: 80, SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/VpcLinkSecurityGroup/), 'GroupId'] } });
});
