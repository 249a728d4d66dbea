import { DefaultHttpStage, HttpAlbIntegration } from '@apigw-blueprints/integrations';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';

/**
 * Properties of PrivateAlbApi.
 */
export interface PrivateAlbApiProps {
  /**
   * The VPC of the load balancer.
   * @default - a new VPC over two Availability Zones, with isolated subnets for the load balancer and the VPC link (no NAT gateways)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of the internal load balancer and the VPC link.
   * @default - the VPC's isolated subnets
   */
  readonly subnets?: ec2.SubnetSelection;
}

/**
 * An internal Application Load Balancer reachable only through an HTTP API VPC link.
 */
export class PrivateAlbApi extends Construct {
  /** The HTTP API. */
  public readonly api: HttpApi;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The internal load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** Its HTTP listener. */
  public readonly listener: elbv2.ApplicationListener;

  constructor(scope: Construct, id: string, props: PrivateAlbApiProps = {}) {
    super(scope, id);
    this.vpc = props.vpc ?? new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    const subnets = props.subnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Alb', { vpc: this.vpc, internetFacing: false, vpcSubnets: subnets });
    // open: false: only the VPC link's security group is admitted (by the integration).
    this.listener = this.loadBalancer.addListener('Http', {
      port: 80,
      open: false,
      defaultAction: elbv2.ListenerAction.fixedResponse(200, { contentType: 'application/json', messageBody: '{"message":"hello from the private ALB"}' }),
    });
    this.api = new HttpApi(this, 'Api', {
      createDefaultStage: false,
      defaultIntegration: new HttpAlbIntegration('Alb', this.listener, { restrictToVpcLink: true, vpcLinkSubnets: subnets }),
    });
    new DefaultHttpStage(this, 'Stage', { httpApi: this.api });
  }
}
