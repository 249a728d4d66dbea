import {
  WebSocketIntegrationType,
  WebSocketRouteIntegration,
  WebSocketRouteIntegrationBindOptions,
  WebSocketRouteIntegrationConfig,
} from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * Properties of a WebSocketMockIntegration.
 */
export interface WebSocketMockIntegrationProps {
  /**
   * Velocity templates that produce the mock's status, by content type.
   * @default - none
   */
  readonly requestTemplates?: { [contentType: string]: string };

  /**
   * Selects which of `requestTemplates` applies to a message.
   * @default - the content type
   */
  readonly templateSelectionExpression?: string;
}

/**
 * Answers a WebSocket API route from API Gateway itself, without a backend.
 */
export class WebSocketMockIntegration extends WebSocketRouteIntegration {
  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: WebSocketMockIntegrationProps = {}) {
    super(id);
  }

  public bind(_options: WebSocketRouteIntegrationBindOptions): WebSocketRouteIntegrationConfig {
    return {
      type: WebSocketIntegrationType.MOCK,
      uri: '',
      requestTemplates: this.props.requestTemplates,
      templateSelectionExpression: this.props.templateSelectionExpression,
    };
  }
}
