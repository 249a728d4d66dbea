import { CfnOutput } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import { IWebSocketApi, ThrottleSettings, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiKind, JsonAccessLog } from './access-log';
import { StageThrottle } from './throttle';

/**
 * Properties of a DefaultWebSocketStage.
 */
export interface DefaultWebSocketStageProps {
  /** The API. */
  readonly webSocketApi: IWebSocketApi;
  /**
   * The stage name (part of the wss:// URL).
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Route throttling of the stage.
   * @default - StageThrottle.DEFAULT_RATE_LIMIT and StageThrottle.DEFAULT_BURST_LIMIT
   */
  readonly throttle?: ThrottleSettings;
  /**
   * An existing log group for access logs.
   * @default - a new log group kept for `accessLogRetention`
   */
  readonly accessLogGroup?: logs.ILogGroup;
  /**
   * Retention of a new access log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * Set the account's API Gateway CloudWatch Logs role, which WebSocket stage
   * logging needs. It is one setting for the whole account and region, so it
   * is off by default: turn it on in one stack if the account has no role yet.
   * @default false
   */
  readonly createCloudWatchRole?: boolean;
  /**
   * The logical id prefix (unique in the stack) of stack outputs with the wss:// URL (`<prefix>Url`) and the
   * callback URL (`<prefix>CallbackUrl`), or none when empty.
   * @default 'WebSocket'
   */
  readonly outputIdPrefix?: string;
}

/**
 * A WebSocket API stage with the patterns' defaults: auto deploy, JSON access
 * logs, route throttling, and its URLs as stack outputs.
 */
export class DefaultWebSocketStage extends Construct {
  /** The stage. */
  public readonly stage: WebSocketStage;
  /** The access log group. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** The account-wide CloudWatch role, when `createCloudWatchRole` is set. */
  public readonly cloudWatchRole?: iam.IRole;

  constructor(scope: Construct, id: string, props: DefaultWebSocketStageProps) {
    super(scope, id);
    const accessLog = new JsonAccessLog(this, 'AccessLog', {
      kind: ApiKind.WEBSOCKET,
      logGroup: props.accessLogGroup,
      retention: props.accessLogRetention,
    });
    this.accessLogGroup = accessLog.logGroup;
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: props.webSocketApi,
      stageName: props.stageName ?? 'prod',
      autoDeploy: true,
      throttle: StageThrottle.withDefaults(props.throttle),
      accessLogSettings: accessLog.settings,
    });
    if (props.createCloudWatchRole) {
      const role = new iam.Role(this, 'CloudWatchRole', {
        assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
      });
      const account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: role.roleArn });
      this.stage.node.addDependency(account);
      this.cloudWatchRole = role;
    }
    const prefix = props.outputIdPrefix ?? 'WebSocket';
    if (prefix) {
      // Exact ids, so deploy scripts can read the outputs by name.
      new CfnOutput(this, 'UrlOutput', { value: this.stage.url, description: 'wss:// URL clients connect to' }).overrideLogicalId(`${prefix}Url`);
      new CfnOutput(this, 'CallbackUrlOutput', { value: this.stage.callbackUrl, description: 'https:// URL backends post to connections through' })
        .overrideLogicalId(`${prefix}CallbackUrl`);
    }
  }
}
