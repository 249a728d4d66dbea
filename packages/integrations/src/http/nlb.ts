import {
  HttpConnectionType,
  HttpIntegrationType,
  HttpMethod,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { HttpPrivateIntegrationOptions } from './base-types';
import { HttpTimeout } from '../private/timeout';
import { resolveVpcLink } from '../private/vpc-link';

const OWNER = 'HttpNlbIntegration';

/**
 * Properties of an HttpNlbIntegration.
 */
export interface HttpNlbIntegrationProps extends HttpPrivateIntegrationOptions {}

/**
 * Sends the requests of an HTTP API route to a Network Load Balancer listener through a VPC link.
 *
 * A load balancer created with security groups filters what the link sends:
 * give the link groups with `vpcLinkSecurityGroups` and admit them on the
 * listener port.
 */
export class HttpNlbIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param listener the NLB listener
   * @param props properties of the integration
   */
  constructor(id: string, private readonly listener: elbv2.INetworkListener, private readonly props: HttpNlbIntegrationProps = {}) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const vpc = this.props.vpc ?? this.props.vpcLink?.vpc
      ?? (this.listener instanceof elbv2.NetworkListener ? this.listener.loadBalancer.vpc : undefined);
    const vpcLink = resolveVpcLink(OWNER, options, {
      vpcLink: this.props.vpcLink,
      vpc,
      securityGroups: this.props.vpcLinkSecurityGroups,
      subnets: this.props.vpcLinkSubnets,
    }, 'the listener was imported, and an imported listener does not say which VPC it is in');
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
}
