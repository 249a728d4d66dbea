import { Duration } from 'aws-cdk-lib';
import { HttpMethod, IVpcLink, ParameterMapping } from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Options common to the private integrations (ALB, NLB, Cloud Map), which reach
 * a service inside a VPC through a VPC link.
 */
export interface HttpPrivateIntegrationOptions {
  /**
   * The VPC link to reach the target through.
   * @default - for a load balancer created in this app, a link for its VPC (one per VPC and API, shared)
   */
  readonly vpcLink?: IVpcLink;

  /**
   * The HTTP method API Gateway uses to call the target.
   * @default HttpMethod.ANY - the method of the incoming request
   */
  readonly method?: HttpMethod;

  /**
   * The server name API Gateway verifies in the target's TLS certificate, which turns on TLS to the target.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html
   * @default - no TLS between API Gateway and the target
   */
  readonly secureServerName?: string;

  /**
   * Changes to the request before it reaches the target.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
   * @default - the request is passed on unchanged
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * How long API Gateway waits for the target: 50 ms to 30 s.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * The VPC to create a VPC link in, for an imported load balancer or a Cloud
   * Map service, when no `vpcLink` is given.
   * @default - the load balancer's VPC when it was created in this app
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Security groups for the VPC link this integration creates (ignored with `vpcLink`).
   * The target must admit them: open its security group to these groups on its port.
   * @default - the link gets no security group of its own (API Gateway's default)
   */
  readonly vpcLinkSecurityGroups?: ec2.ISecurityGroup[];

  /**
   * Subnets for the VPC link this integration creates (ignored with `vpcLink`,
   * and when the API already has a link for this VPC).
   * @default - the VPC's private subnets with egress
   */
  readonly vpcLinkSubnets?: ec2.SubnetSelection;
}
