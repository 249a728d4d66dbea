import { HttpAlbIntegration, HttpNlbIntegration, HttpServiceDiscoveryIntegration } from '@apigw-blueprints/integrations';
import { configError } from '@apigw-blueprints/integrations/lib/private/errors';
import { acknowledgeNagRule } from '@apigw-blueprints/integrations/lib/private/nag';
import { RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { fargateService, ServiceOptions } from './fargate-service';

/**
 * Options of an Application Load Balancer target.
 */
export interface AlbTargetOptions extends ServiceOptions {
  /**
   * An existing listener (of an internal ALB) instead of a new load balancer and
   * service; give the VPC as `PrivateAlbApiProps.vpc`, as for any imported load balancer.
   * An imported listener needs its `defaultPort`: the VPC link is admitted on that port.
   * @default - a new internal ALB in front of a new Fargate service
   */
  readonly existingListener?: elbv2.IApplicationListener;
  /**
   * A certificate for an HTTPS listener (port 443); API Gateway then talks TLS
   * to the ALB and verifies `secureServerName`. Give both or neither: with a
   * certificate alone API Gateway would speak plain HTTP to the TLS listener.
   * Not with `existingListener` (whose listener is yours).
   * @default - an HTTP listener on port 80
   */
  readonly certificate?: elbv2.IListenerCertificate;
  /**
   * The server name API Gateway verifies in the ALB's certificate. With a new
   * listener, give it together with `certificate` (a name alone would make API
   * Gateway speak TLS to a plain HTTP listener); with `existingListener`, give
   * it when that listener is HTTPS.
   * @default - none: plain HTTP to the listener
   */
  readonly secureServerName?: string;
}

/**
 * Options of a Network Load Balancer target.
 */
export interface NlbTargetOptions extends ServiceOptions {}

/**
 * Options of a Cloud Map service target.
 */
export interface CloudMapTargetOptions extends ServiceOptions {
  /**
   * The private DNS namespace the service registers in.
   * @default 'private-api.internal'
   */
  readonly namespaceName?: string;
}

/** What binding a target produced. */
export interface BoundTarget {
  /** The route integration. */
  readonly integration: apigwv2.HttpRouteIntegration;
  /** The security group of the VPC link, the only one the target admits. */
  readonly vpcLinkSecurityGroup: ec2.ISecurityGroup;
  /** The load balancer, when one was created. */
  readonly loadBalancer?: elbv2.BaseLoadBalancer;
  /** The container service, when one was created. */
  readonly service?: ecs.FargateService;
  /** The access log bucket of a created ALB. */
  readonly accessLogBucket?: s3.IBucket;
  /** The target group of a created load balancer's listener. */
  readonly targetGroup?: elbv2.ApplicationTargetGroup | elbv2.NetworkTargetGroup;
}

/** Options every target binds with. */
export interface TargetBindOptions {
  /** The VPC of the target. */
  readonly vpc: ec2.IVpc;
  /**
   * Changes to requests before they reach the target.
   * @default - none
   */
  readonly parameterMapping?: apigwv2.ParameterMapping;
  /**
   * Retention of the container logs of a service the target creates.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Whether `vpc` was created for this API (no VPC was given): a target that
   * lives in a VPC of its own (an existing listener) cannot use it.
   * @default false
   */
  readonly vpcCreated?: boolean;
}

/**
 * The private service behind the API: an internal ALB (the default), an NLB
 * with security groups, or a Cloud Map service, each reachable only through
 * the API's VPC link.
 */
export abstract class PrivateTarget {
  /** An internal Application Load Balancer (new, or an existing listener). */
  public static alb(options: AlbTargetOptions = {}): PrivateTarget {
    return new AlbTarget(options);
  }

  /** A Network Load Balancer created with security groups, so the same lock-down applies. */
  public static nlb(options: NlbTargetOptions = {}): PrivateTarget {
    return new NlbTarget(options);
  }

  /** A Fargate service registered in Cloud Map (SRV records), reached without a load balancer. */
  public static cloudMap(options: CloudMapTargetOptions = {}): PrivateTarget {
    return new CloudMapTarget(options);
  }

  /** Creates the target's resources under `scope` and the integration that reaches it. */
  public abstract bind(scope: Construct, options: TargetBindOptions): BoundTarget;
}

function linkSecurityGroup(scope: Construct, vpc: ec2.IVpc): ec2.SecurityGroup {
  return new ec2.SecurityGroup(scope, 'VpcLinkSecurityGroup', {
    vpc,
    allowAllOutbound: false,
    description: 'API Gateway VPC link: may reach the private target only',
  });
}

class AlbTarget extends PrivateTarget {
  constructor(private readonly options: AlbTargetOptions) {
    super();
  }

  public bind(scope: Construct, bind: TargetBindOptions): BoundTarget {
    this.check(scope, bind);
    const link = linkSecurityGroup(scope, bind.vpc);
    const integrationProps = {
      vpc: bind.vpc,
      vpcLinkSecurityGroups: [link],
      restrictToVpcLink: true,
      parameterMapping: bind.parameterMapping,
      secureServerName: this.options.secureServerName,
    };
    if (this.options.existingListener) {
      return { integration: new HttpAlbIntegration('Alb', this.options.existingListener, integrationProps), vpcLinkSecurityGroup: link };
    }
    if (Token.isUnresolved(Stack.of(scope).region)) {
      configError(scope, 'RegionRequired', 'PrivateAlbApi', 'env.region', 'ALB access logging needs a concrete region (the log delivery account differs per region)',
        "give the stack env: { region: 'eu-west-1' } (or CDK_DEFAULT_REGION)");
    }
    const accessLogBucket = new s3.Bucket(scope, 'AlbAccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'Alb', {
      vpc: bind.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      dropInvalidHeaderFields: true,
    });
    acknowledgeNagRule(accessLogBucket, 'AwsSolutions-S1', 'This bucket receives the ALB access logs; server access logs of it would only log those log writes');
    loadBalancer.logAccessLogs(accessLogBucket);
    const listener = this.options.certificate
      ? loadBalancer.addListener('Https', { port: 443, protocol: elbv2.ApplicationProtocol.HTTPS, certificates: [this.options.certificate], open: false })
      : loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP, open: false });
    const service = fargateService(scope, bind.vpc, this.options, bind.logRetention);
    const targetGroup = listener.addTargets('Service', {
      port: this.options.containerPort ?? 80,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [service],
      healthCheck: { path: '/', healthyHttpCodes: '200-399' },
    });
    return { integration: new HttpAlbIntegration('Alb', listener, integrationProps), vpcLinkSecurityGroup: link, loadBalancer, service, accessLogBucket, targetGroup };
  }

  private check(scope: Construct, bind: TargetBindOptions): void {
    const fail = (code: string, prop: string, problem: string, fix: string): never => configError(scope, code, 'PrivateAlbApi', prop, problem, fix);
    const { existingListener, certificate, secureServerName } = this.options;
    if (existingListener && bind.vpcCreated) {
      fail('ListenerVpcRequired', 'vpc', 'existingListener is given without the VPC it lives in; a new VPC would be created, and the rule admitting the VPC link would '
        + 'point across VPCs, which EC2 rejects', "give vpc: the listener's VPC (ec2.Vpc.fromLookup or fromVpcAttributes)");
    }
    if (existingListener && existingListener.connections.defaultPort === undefined) {
      fail('ListenerPortUnknown', 'existingListener', "the rule admitting the VPC link needs the listener's port, which an import without defaultPort does not know",
        "import it with defaultPort: the listener's port, e.g. ApplicationListener.fromApplicationListenerAttributes({ ..., defaultPort: 443 })");
    }
    if (existingListener && certificate) {
      fail('CertificateWithExistingListener', 'certificate', 'applies to the listener this target creates, and existingListener was given', 'configure TLS on your listener, and give only secureServerName');
    }
    if (!existingListener && certificate && !secureServerName) {
      fail('ServerNameRequired', 'secureServerName', 'a certificate makes the listener HTTPS, but without a server name API Gateway speaks plain HTTP to it',
        "give the name in the certificate, e.g. secureServerName: 'api.internal.example.com'");
    }
    if (!existingListener && secureServerName && !certificate) {
      fail('CertificateRequired', 'certificate', 'secureServerName makes API Gateway speak TLS, but without a certificate the new listener is plain HTTP',
        'give the certificate of that name, or drop secureServerName');
    }
  }
}

class NlbTarget extends PrivateTarget {
  constructor(private readonly options: NlbTargetOptions) {
    super();
  }

  public bind(scope: Construct, bind: TargetBindOptions): BoundTarget {
    const link = linkSecurityGroup(scope, bind.vpc);
    const nlbGroup = new ec2.SecurityGroup(scope, 'NlbSecurityGroup', { vpc: bind.vpc, allowAllOutbound: false, description: 'NLB: admits the VPC link only' });
    const loadBalancer = new elbv2.NetworkLoadBalancer(scope, 'Nlb', {
      vpc: bind.vpc,
      internetFacing: false,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      securityGroups: [nlbGroup],
    });
    // https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-access-logs.html
    acknowledgeNagRule(loadBalancer, 'AwsSolutions-ELB2', 'NLB access logs are written for TLS listeners only, and this one is TCP; the VPC flow logs record its traffic');
    const port = this.options.containerPort ?? 80;
    const listener = loadBalancer.addListener('Tcp', { port: 80 });
    const service = fargateService(scope, bind.vpc, this.options, bind.logRetention);
    const targetGroup = listener.addTargets('Service', { port, targets: [service], healthCheck: { protocol: elbv2.Protocol.TCP } });
    nlbGroup.addIngressRule(link, ec2.Port.tcp(80), 'API Gateway VPC link');
    link.addEgressRule(nlbGroup, ec2.Port.tcp(80), 'to the NLB listener');
    nlbGroup.addEgressRule(service.connections.securityGroups[0], ec2.Port.tcp(port), 'to the service');
    service.connections.allowFrom(nlbGroup, ec2.Port.tcp(port), 'from the NLB');
    const integration = new HttpNlbIntegration('Nlb', listener, { vpc: bind.vpc, vpcLinkSecurityGroups: [link], parameterMapping: bind.parameterMapping });
    return { integration, vpcLinkSecurityGroup: link, loadBalancer, service, targetGroup };
  }
}

class CloudMapTarget extends PrivateTarget {
  constructor(private readonly options: CloudMapTargetOptions) {
    super();
  }

  public bind(scope: Construct, bind: TargetBindOptions): BoundTarget {
    const link = linkSecurityGroup(scope, bind.vpc);
    const namespace = new servicediscovery.PrivateDnsNamespace(scope, 'Namespace', { name: this.options.namespaceName ?? 'private-api.internal', vpc: bind.vpc });
    const port = this.options.containerPort ?? 80;
    // HTTP APIs reach Cloud Map instances by IP and port: SRV records carry the port.
    const service = fargateService(scope, bind.vpc, this.options, bind.logRetention, {
      cloudMapNamespace: namespace,
      name: 'web',
      dnsRecordType: servicediscovery.DnsRecordType.SRV,
      containerPort: port,
    });
    service.connections.allowFrom(link, ec2.Port.tcp(port), 'API Gateway VPC link');
    link.addEgressRule(service.connections.securityGroups[0], ec2.Port.tcp(port), 'to the service');
    const integration = new HttpServiceDiscoveryIntegration('CloudMap', service.cloudMapService!, {
      vpc: bind.vpc, vpcLinkSecurityGroups: [link], parameterMapping: bind.parameterMapping,
    });
    return { integration, vpcLinkSecurityGroup: link, service };
  }
}
