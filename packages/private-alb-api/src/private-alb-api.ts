import { CorsDefaults, DefaultHttpStage } from '@apigw-blueprints/integrations';
import { Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BoundTarget, PrivateTarget } from './private-target';

/**
 * Properties of PrivateAlbApi.
 */
export interface PrivateAlbApiProps {
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
   * Browser origins allowed by CORS.
   * @default - none
   */
  readonly corsAllowOrigins?: string[];
  /**
   * An authorizer applied to every route.
   * @default - none: anyone with the URL reaches the service
   */
  readonly authorizer?: apigwv2.IHttpRouteAuthorizer;
  /**
   * Default route throttling.
   * @default - StageThrottle defaults: 100 requests per second, bursts of 200
   */
  readonly throttle?: apigwv2.ThrottleSettings;
  /**
   * Retention of the access and flow log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * A custom domain name for the API (give `certificate` too).
   * @default - the execute-api URL only
   */
  readonly domainName?: string;
  /**
   * The ACM certificate of `domainName`.
   * @default - none
   */
  readonly certificate?: acm.ICertificate;
}

/**
 * An HTTP API in front of a private service: `ANY /{proxy+}` and the default
 * route go through a VPC link whose own security group is the only one the
 * target admits.
 */
export class PrivateAlbApi extends Construct {
  /** The HTTP API. */
  public readonly api: apigwv2.HttpApi;
  /** Its stage. */
  public readonly stage: DefaultHttpStage;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** What the target created: load balancer, service, access log bucket, the VPC link's group. */
  public readonly target: BoundTarget;
  /** The custom domain, when given. */
  public readonly domain?: apigwv2.DomainName;

  constructor(scope: Construct, id: string, props: PrivateAlbApiProps = {}) {
    super(scope, id);
    if (Boolean(props.domainName) !== Boolean(props.certificate)) {
      throw new Error(`[PrivateAlbApi] ${props.domainName ? 'certificate' : 'domainName'}: a custom domain needs both domainName and certificate. Fix: give both, or neither. (at ${this.node.path})`);
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    this.vpc = props.vpc ?? this.newVpc(logRetention);
    this.target = (props.target ?? PrivateTarget.alb()).bind(this, { vpc: this.vpc, parameterMapping: props.parameterMapping });

    // The default route ($default) and ANY /{proxy+} both go to the target.
    this.api = new apigwv2.HttpApi(this, 'Api', {
      createDefaultStage: false,
      defaultIntegration: this.target.integration,
      defaultAuthorizer: props.authorizer,
      corsPreflight: CorsDefaults.restrictive(props.corsAllowOrigins ?? [], [apigwv2.CorsHttpMethod.ANY]),
    });
    if (props.domainName && props.certificate) {
      this.domain = new apigwv2.DomainName(this, 'Domain', { domainName: props.domainName, certificate: props.certificate });
    }
    this.stage = new DefaultHttpStage(this, 'Stage', {
      httpApi: this.api,
      throttle: props.throttle,
      accessLogRetention: logRetention,
      domainMapping: this.domain ? { domainName: this.domain } : undefined,
    });
    const proxy = this.api.addRoutes({ path: '/{proxy+}', methods: [apigwv2.HttpMethod.ANY], integration: this.target.integration });
    if (!props.authorizer) {
      for (const route of [...proxy, this.api.node.findChild('DefaultRoute')]) {
        Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: 'No authorizer was given (prop `authorizer`): the deployer chose an open API' });
      }
    }
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
