import { DefaultHttpStage, PatternHttpApi, PatternHttpApiProps, PatternMonitoring, PatternMonitoringProps } from '@apigw-blueprints/integrations';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BoundTarget, PrivateTarget } from './private-target';

/**
 * Properties of PrivateAlbApi.
 */
export interface PrivateAlbApiProps extends PatternHttpApiProps, PatternMonitoringProps {
  /**
   * The VPC of the private target (required with an existing listener).
   * @default - a new VPC: two Availability Zones, public and private subnets, one NAT gateway, flow logs
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The private service behind the API.
   * @default PrivateTarget.alb() - an internal ALB in front of a Fargate service
   */
  readonly target?: PrivateTarget;
  /**
   * Changes to requests before they reach the target, e.g. the seed's
   * `new ParameterMapping().appendHeader('header2', MappingValue.requestHeader('header1')).removeHeader('header1')`.
   * @default - requests pass unchanged
   */
  readonly parameterMapping?: apigwv2.ParameterMapping;
  /**
   * Retention of the VPC flow log group (of a VPC this construct creates) and of the container logs of a service the target creates.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * An HTTP API in front of a private service: `ANY /{proxy+}` and the default
 * route go through a VPC link whose own security group is the only one the
 * target admits.
 */
export class PrivateAlbApi extends Construct {
  /** The HTTP API. */
  public readonly api: apigwv2.HttpApi;
  /** Its stage, with access logs, throttling and the URL output. */
  public readonly stage: DefaultHttpStage;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** What the target created: load balancer, service, access log bucket, the VPC link's group. */
  public readonly target: BoundTarget;
  /** The custom domain, when given. */
  public readonly domain?: apigwv2.DomainName;
  /** The alarms (none with `alarms: false`); see the README for the list. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The dashboard, with `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PrivateAlbApiProps = {}) {
    super(scope, id);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.vpc = props.vpc ?? this.newVpc(logRetention);
    this.target = (props.target ?? PrivateTarget.alb()).bind(this, {
      vpc: this.vpc, parameterMapping: props.parameterMapping, vpcCreated: !props.vpc, logRetention,
    });

    // The default route ($default) and ANY /{proxy+} both go to the target.
    const front = PatternHttpApi.create(this, {
      ...props,
      owner: 'PrivateAlbApi',
      corsAllowMethods: [apigwv2.CorsHttpMethod.ANY],
      defaultIntegration: this.target.integration,
    });
    this.api = front.api;
    // PatternHttpApi creates a stage whenever it creates the API, as here.
    this.stage = front.stage!;
    this.domain = front.domain;
    PatternHttpApi.addRoute(front, '/{proxy+}', apigwv2.HttpMethod.ANY, this.target.integration);

    const monitoring = new PatternMonitoring(this, 'Monitoring', { ...props, owner: 'PrivateAlbApi' });
    monitoring.watchHttpStage('API', this.api.apiId, this.stage.stage.stageName);
    const { targetGroup, service } = this.target;
    if (targetGroup instanceof elbv2.ApplicationTargetGroup) {monitoring.watchApplicationTargets('LoadBalancer', targetGroup);} else if (targetGroup instanceof elbv2.NetworkTargetGroup) {monitoring.watchNetworkTargets('LoadBalancer', targetGroup);} else if (service) {
      // Cloud Map publishes no CloudWatch metrics on instance health for a private DNS namespace without health checks.
      monitoring.note('Cloud Map', 'Cloud Map publishes no CloudWatch metric for this service; the Fargate service below is watched.');
    } else {
      monitoring.note('Target', 'The target is your existing listener: alarm on its load balancer where you create it.');
    }
    if (service) monitoring.watchFargateService('Service', service);
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;
  }

  private newVpc(retention: logs.RetentionDays): ec2.Vpc {
    const vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ],
    });
    vpc.addFlowLog('FlowLogs', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(this, 'FlowLogGroup', { retention })),
    });
    return vpc;
  }
}
