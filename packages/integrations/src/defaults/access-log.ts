import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { IAccessLogSettings, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Which API type a stage belongs to, as the access log fields differ. */
export enum ApiKind {
  /** An HTTP API. */
  HTTP = 'HTTP',
  /** A WebSocket API. */
  WEBSOCKET = 'WEBSOCKET',
}

/** The access log destination and format the stage defaults use. */
export interface JsonAccessLogProps {
  /** Which API type the stage belongs to. */
  readonly kind: ApiKind;
  /**
   * An existing log group to write to.
   * @default - a new log group with `retention`
   */
  readonly logGroup?: logs.ILogGroup;
  /**
   * How long a new log group keeps access logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly retention?: logs.RetentionDays;
  /**
   * What happens to a new log group when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A log group and a one-line JSON format for API Gateway access logs.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export class JsonAccessLog extends Construct {
  /** The fields written for each request of an HTTP API, or each message of a WebSocket API. */
  public static fields(kind: ApiKind): { [name: string]: string } {
    const common = {
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      status: '$context.status',
      responseLength: '$context.responseLength',
      integrationStatus: '$context.integrationStatus',
      integrationLatency: '$context.integrationLatency',
      errorMessage: '$context.error.message',
      integrationError: '$context.integrationErrorMessage',
    };
    return kind === ApiKind.HTTP
      ? { ...common, routeKey: '$context.routeKey', httpMethod: '$context.httpMethod', path: '$context.path', protocol: '$context.protocol' }
      : { ...common, routeKey: '$context.routeKey', eventType: '$context.eventType', connectionId: '$context.connectionId' };
  }

  /** Where the logs go. */
  public readonly logGroup: logs.ILogGroup;
  /** Settings to pass to a stage's `accessLogSettings`. */
  public readonly settings: IAccessLogSettings;

  constructor(scope: Construct, id: string, props: JsonAccessLogProps) {
    super(scope, id);
    this.logGroup = props.logGroup ?? new logs.LogGroup(this, 'LogGroup', {
      retention: props.retention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.settings = {
      destination: new LogGroupLogDestination(this.logGroup),
      format: AccessLogFormat.custom(JSON.stringify(JsonAccessLog.fields(props.kind))),
    };
  }
}
