import {
  HttpConnectionType,
  HttpIntegrationType,
  HttpMethod,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { aws_servicediscovery as servicediscoveryRefs } from 'aws-cdk-lib/interfaces';
import { HttpPrivateIntegrationOptions } from './base-types';
import { HttpTimeout } from '../private/timeout';
import { resolveVpcLink } from '../private/vpc-link';

const OWNER = 'HttpServiceDiscoveryIntegration';

/**
 * Properties of an HttpServiceDiscoveryIntegration.
 */
export interface HttpServiceDiscoveryIntegrationProps extends HttpPrivateIntegrationOptions {}

/**
 * Sends the requests of an HTTP API route to an AWS Cloud Map service through a VPC link.
 *
 * Give `vpcLink`, or `vpc` to have a link created. The instances' security
 * groups must admit the link: pass `vpcLinkSecurityGroups` and open the
 * instances' port to those groups.
 */
export class HttpServiceDiscoveryIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param service the Cloud Map service; its instances must be reachable from the VPC link
   * @param props properties of the integration
   */
  constructor(
    id: string,
    private readonly service: servicediscoveryRefs.IServiceRef,
    private readonly props: HttpServiceDiscoveryIntegrationProps = {},
  ) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const vpcLink = resolveVpcLink(OWNER, options, {
      vpcLink: this.props.vpcLink,
      vpc: this.props.vpc,
      securityGroups: this.props.vpcLinkSecurityGroups,
      subnets: this.props.vpcLinkSubnets,
    }, 'a Cloud Map service does not say which VPC its instances are in (created in this stack or imported)');
    return {
      method: this.props.method ?? HttpMethod.ANY,
      payloadFormatVersion: PayloadFormatVersion.VERSION_1_0,
      type: HttpIntegrationType.HTTP_PROXY,
      connectionType: HttpConnectionType.VPC_LINK,
      connectionId: vpcLink.vpcLinkId,
      uri: this.service.serviceRef.serviceArn,
      secureServerName: this.props.secureServerName,
      parameterMapping: this.props.parameterMapping,
      // aws-cdk-lib drops the timeout here; API Gateway honours it for Cloud Map too.
      timeout: this.timeout.forBase,
    };
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }
}
