import {
  HttpConnectionType,
  HttpIntegrationType,
  HttpMethod,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { HttpPrivateIntegrationOptions } from './base-types';
import { configError } from '../private/errors';
import { HttpTimeout } from '../private/timeout';
import { resolveVpcLink } from '../private/vpc-link';

const OWNER = 'HttpAlbIntegration';

/**
 * Properties of an HttpAlbIntegration.
 */
export interface HttpAlbIntegrationProps extends HttpPrivateIntegrationOptions {
  /**
   * Give the VPC link this integration creates a security group of its own
   * (or use `vpcLinkSecurityGroups`) and open the listener's security group to
   * that group only, on the listener port. Combine with a listener created with
   * `open: false`, so nothing else reaches the load balancer. An imported
   * listener must be imported with `defaultPort` (its port), or the rule
   * cannot be written.
   * @default false
   */
  readonly restrictToVpcLink?: boolean;
}

/**
 * Sends the requests of an HTTP API route to an Application Load Balancer listener through a VPC link.
 */
export class HttpAlbIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param listener the ALB listener (an internal load balancer's, usually)
   * @param props properties of the integration
   */
  constructor(id: string, private readonly listener: elbv2.IApplicationListener, private readonly props: HttpAlbIntegrationProps = {}) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const vpc = this.props.vpc ?? this.props.vpcLink?.vpc
      ?? (this.listener instanceof elbv2.ApplicationListener ? this.listener.loadBalancer.vpc : undefined);
    const securityGroups = this.linkSecurityGroups(options, vpc);
    const vpcLink = resolveVpcLink(OWNER, options, { vpcLink: this.props.vpcLink, vpc, securityGroups, subnets: this.props.vpcLinkSubnets },
      'the listener was imported, and an imported listener does not say which VPC it is in');
    return {
      method: this.props.method ?? HttpMethod.ANY,
      payloadFormatVersion: PayloadFormatVersion.VERSION_1_0,
      type: HttpIntegrationType.HTTP_PROXY,
      connectionType: HttpConnectionType.VPC_LINK,
      connectionId: vpcLink.vpcLinkId,
      uri: this.listener.listenerArn,
      secureServerName: this.props.secureServerName,
      parameterMapping: this.props.parameterMapping,
      timeout: this.timeout.forBase,
    };
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }

  private linkSecurityGroups(options: HttpRouteIntegrationBindOptions, vpc: ec2.IVpc | undefined): ec2.ISecurityGroup[] | undefined {
    if (!this.props.restrictToVpcLink) return this.props.vpcLinkSecurityGroups;
    if (this.props.vpcLink) {
      configError(options.scope, 'RestrictNeedsOwnLink', OWNER, 'restrictToVpcLink',
        'the integration can only attach a security group to a VPC link it creates, and vpcLink was given',
        'drop vpcLink (a link is created for the VPC), or drop restrictToVpcLink and open the listener to your link\'s security groups yourself');
    }
    if (!vpc) return undefined; // resolveVpcLink reports the missing VPC
    if (this.listener.connections.defaultPort === undefined) {
      // An imported listener knows its port only when told; without it aws-cdk-lib
      // would fail deep inside allowDefaultPortFrom with no word of which prop to set.
      configError(options.scope, 'ListenerPortUnknown', OWNER, 'restrictToVpcLink',
        'the listener was imported without defaultPort, so no rule can open its port to the VPC link',
        'import it with defaultPort (ApplicationListener.fromApplicationListenerAttributes({ ..., defaultPort: 443 })), '
        + 'or drop restrictToVpcLink and open its security group to the link yourself');
    }
    const groups = this.props.vpcLinkSecurityGroups?.length
      ? this.props.vpcLinkSecurityGroups
      : [new ec2.SecurityGroup(options.scope, 'VpcLinkSecurityGroup', {
        vpc,
        allowAllOutbound: false,
        description: 'API Gateway VPC link: may reach the load balancer listener only',
      })];
    for (const group of groups) {
      this.listener.connections.allowDefaultPortFrom(group, 'API Gateway VPC link');
    }
    return groups;
  }
}
