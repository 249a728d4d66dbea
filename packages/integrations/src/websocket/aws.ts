import { Duration } from 'aws-cdk-lib';
import {
  ContentHandling,
  PassthroughBehavior,
  WebSocketIntegrationType,
  WebSocketRouteIntegration,
  WebSocketRouteIntegrationBindOptions,
  WebSocketRouteIntegrationConfig,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { checkTimeout, WEBSOCKET_TIMEOUT_MS } from '../private/timeout';

/**
 * Properties of a WebSocketAwsIntegration.
 */
export interface WebSocketAwsIntegrationProps {
  /**
   * The AWS service action, as an API Gateway service URI, e.g.
   * `arn:aws:apigateway:us-east-1:dynamodb:action/PutItem`.
   */
  readonly integrationUri: string;

  /** The HTTP method of the service call (usually POST). */
  readonly integrationMethod: string;

  /**
   * How binary payloads are converted.
   * @default - passed through unchanged
   */
  readonly contentHandling?: ContentHandling;

  /**
   * The role API Gateway assumes to call the service.
   * @default - none: the call is made without credentials and most services refuse it
   */
  readonly credentialsRole?: iam.IRole;

  /**
   * Request parameters, destination to source.
   * @default - none
   */
  readonly requestParameters?: { [dest: string]: string };

  /**
   * Velocity templates that build the service request, by content type (or by
   * the value of `templateSelectionExpression`).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-data-transformations.html
   * @default - none
   */
  readonly requestTemplates?: { [contentType: string]: string };

  /**
   * Selects which of `requestTemplates` applies to a message.
   * @default - the content type
   */
  readonly templateSelectionExpression?: string;

  /**
   * How long API Gateway waits for the service: 50 ms to 29 s.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;

  /**
   * What happens to a message no template matches.
   * @default - API Gateway's default, WHEN_NO_MATCH
   */
  readonly passthroughBehavior?: PassthroughBehavior;
}

/**
 * Calls an AWS service action directly from a WebSocket API route (AWS integration).
 */
export class WebSocketAwsIntegration extends WebSocketRouteIntegration {
  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: WebSocketAwsIntegrationProps) {
    super(id);
    checkTimeout('WebSocketAwsIntegration', id, props.timeout, WEBSOCKET_TIMEOUT_MS, 'WebSocket API');
  }

  public bind(_options: WebSocketRouteIntegrationBindOptions): WebSocketRouteIntegrationConfig {
    return {
      type: WebSocketIntegrationType.AWS,
      uri: this.props.integrationUri,
      method: this.props.integrationMethod,
      contentHandling: this.props.contentHandling,
      credentialsRole: this.props.credentialsRole,
      requestParameters: this.props.requestParameters,
      requestTemplates: this.props.requestTemplates,
      passthroughBehavior: this.props.passthroughBehavior,
      templateSelectionExpression: this.props.templateSelectionExpression,
      timeout: this.props.timeout,
    };
  }
}
