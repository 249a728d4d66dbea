import { CfnOutput } from 'aws-cdk-lib';
import { DomainMappingOptions, HttpStage, IHttpApi, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ApiKind, JsonAccessLog } from './access-log';
import { StageThrottle } from './throttle';

/**
 * Properties of a DefaultHttpStage.
 */
export interface DefaultHttpStageProps {
  /** The API (created with `createDefaultStage: false`). */
  readonly httpApi: IHttpApi;
  /**
   * The stage name.
   * @default '$default' - served at the API's root URL
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
   * A custom domain to map the stage to.
   * @default - none
   */
  readonly domainMapping?: DomainMappingOptions;
  /**
   * The exact logical id of the stack output with the stage URL (a stack
   * holds one output per id: give each stage its own), or no output when
   * empty.
   * @default - an output under this construct, with a logical id made unique from its path
   */
  readonly urlOutputId?: string;
}

/**
 * An HTTP API stage with the patterns' defaults: auto deploy, JSON access logs
 * to a log group with retention, route throttling, and the URL as a stack output
 * (its logical id unique in the stack unless `urlOutputId` names one).
 */
export class DefaultHttpStage extends Construct {
  /** The stage. */
  public readonly stage: HttpStage;
  /** The access log group. */
  public readonly accessLogGroup: logs.ILogGroup;
  /** The stack output with the stage URL, unless `urlOutputId` is empty. */
  public readonly urlOutput?: CfnOutput;

  constructor(scope: Construct, id: string, props: DefaultHttpStageProps) {
    super(scope, id);
    const accessLog = new JsonAccessLog(this, 'AccessLog', {
      kind: ApiKind.HTTP,
      logGroup: props.accessLogGroup,
      retention: props.accessLogRetention,
    });
    this.accessLogGroup = accessLog.logGroup;
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: props.httpApi,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: StageThrottle.withDefaults(props.throttle),
      accessLogSettings: accessLog.settings,
      domainMapping: props.domainMapping,
    });
    if (props.urlOutputId !== '') {
      this.urlOutput = new CfnOutput(this, 'Url', { value: this.stage.url, description: 'URL of the HTTP API stage' });
      // An exact id lets deploy scripts read the output by name.
      if (props.urlOutputId) this.urlOutput.overrideLogicalId(props.urlOutputId);
    }
  }
}
