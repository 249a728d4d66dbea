import { CfnOutput, Token } from 'aws-cdk-lib';
import { IWebSocketApi, ThrottleSettings, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiKind, JsonAccessLog } from './access-log';
import { AccountCloudWatchRole } from './account-cloudwatch-role';
import { StageThrottle } from './throttle';
import { configError } from '../private/errors';

const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Properties of a DefaultWebSocketStage.
 */
export interface DefaultWebSocketStageProps {
  /** The API. */
  readonly webSocketApi: IWebSocketApi;
  /**
   * The stage name (part of the wss:// URL): 1 to 128 letters, digits, `-` and `_`.
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
   * The stack holds one `AccountCloudWatchRole` however many stages ask.
   * @default false
   */
  readonly createCloudWatchRole?: boolean;
  /**
   * The exact logical id prefix of the stack outputs with the wss:// URL
   * (`<prefix>Url`) and the callback URL (`<prefix>CallbackUrl`), or no
   * outputs when empty (a stack holds one output per id: give each stage its own).
   * @default - outputs under this construct, with logical ids made unique from its path
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
  /** The stack output with the wss:// URL, unless `outputIdPrefix` is empty. */
  public readonly urlOutput?: CfnOutput;
  /** The stack output with the callback URL, unless `outputIdPrefix` is empty. */
  public readonly callbackUrlOutput?: CfnOutput;

  constructor(scope: Construct, id: string, props: DefaultWebSocketStageProps) {
    super(scope, id);
    const stageName = props.stageName ?? 'prod';
    // "Stage names can only contain alphanumeric characters, hyphens, and underscores. Maximum length is 128 characters."
    // (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-stages.html)
    if (!Token.isUnresolved(stageName) && !STAGE_NAME.test(stageName)) {
      configError(this, 'StageNameInvalid', 'DefaultWebSocketStage', 'stageName', `'${stageName}' is not a stage name API Gateway accepts`,
        'use 1 to 128 letters, digits, "-" and "_"');
    }
    const accessLog = new JsonAccessLog(this, 'AccessLog', {
      kind: ApiKind.WEBSOCKET,
      logGroup: props.accessLogGroup,
      retention: props.accessLogRetention,
    });
    this.accessLogGroup = accessLog.logGroup;
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: props.webSocketApi,
      stageName,
      autoDeploy: true,
      throttle: StageThrottle.withDefaults(props.throttle),
      accessLogSettings: accessLog.settings,
    });
    if (props.createCloudWatchRole) {
      const accountRole = AccountCloudWatchRole.of(this, 'DefaultWebSocketStage');
      // A stage with logging fails to create while the account has no role.
      this.stage.node.addDependency(accountRole.account);
      this.cloudWatchRole = accountRole.role;
    }
    if (props.outputIdPrefix !== '') {
      this.urlOutput = new CfnOutput(this, 'Url', { value: this.stage.url, description: 'wss:// URL clients connect to' });
      this.callbackUrlOutput = new CfnOutput(this, 'CallbackUrl', { value: this.stage.callbackUrl, description: 'https:// URL backends post to connections through' });
      // Exact ids let deploy scripts read the outputs by name.
      if (props.outputIdPrefix) {
        this.urlOutput.overrideLogicalId(`${props.outputIdPrefix}Url`);
        this.callbackUrlOutput.overrideLogicalId(`${props.outputIdPrefix}CallbackUrl`);
      }
    }
  }
}
