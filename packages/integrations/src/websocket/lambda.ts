import { Duration, Stack } from 'aws-cdk-lib';
import {
  ContentHandling,
  WebSocketIntegrationType,
  WebSocketRouteIntegration,
  WebSocketRouteIntegrationBindOptions,
  WebSocketRouteIntegrationConfig,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { checkTimeout, WEBSOCKET_TIMEOUT_MS } from '../private/timeout';

/**
 * Properties of a WebSocketLambdaIntegration.
 */
export interface WebSocketLambdaIntegrationProps {
  /**
   * How long API Gateway waits for the function: 50 ms to 29 s.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;

  /**
   * How binary payloads are converted before they reach the function.
   * @default - passed through unchanged
   */
  readonly contentHandling?: ContentHandling;
}

/**
 * Sends the messages of a WebSocket API route to a Lambda function (proxy integration).
 */
export class WebSocketLambdaIntegration extends WebSocketRouteIntegration {
  private readonly constructId: string;

  /**
   * @param id id of the underlying integration construct
   * @param handler the function that answers the route
   * @param props properties of the integration
   */
  constructor(id: string, private readonly handler: lambda.IFunction, private readonly props: WebSocketLambdaIntegrationProps = {}) {
    super(id);
    this.constructId = id;
    checkTimeout('WebSocketLambdaIntegration', id, props.timeout, WEBSOCKET_TIMEOUT_MS, 'WebSocket API');
  }

  public bind(options: WebSocketRouteIntegrationBindOptions): WebSocketRouteIntegrationConfig {
    const route = options.route;
    const stack = Stack.of(route);
    this.handler.addPermission(`${this.constructId}-Permission`, {
      scope: options.scope,
      principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      sourceArn: stack.formatArn({ service: 'execute-api', resource: route.webSocketApi.apiId, resourceName: `*${route.routeKey}` }),
    });
    return {
      type: WebSocketIntegrationType.AWS_PROXY,
      uri: stack.formatArn({
        service: 'apigateway',
        account: 'lambda',
        resource: 'path/2015-03-31/functions',
        resourceName: `${this.handler.functionArn}/invocations`,
      }),
      timeout: this.props.timeout,
      contentHandling: this.props.contentHandling,
    };
  }
}
