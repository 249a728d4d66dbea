import { Duration } from 'aws-cdk-lib';
import {
  HttpIntegrationSubtype,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  ParameterMapping,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { withDefault } from '../private/mapping';
import { bindServiceCall, checkSubtype } from '../private/service-integration';
import { HttpTimeout } from '../private/timeout';

const OWNER = 'HttpEventBridgeIntegration';

/**
 * Properties of an HttpEventBridgeIntegration.
 */
export interface HttpEventBridgeIntegrationProps {
  /** The event bus the route puts events on. */
  readonly eventBusRef: events.EventBusReference;

  /**
   * Which EventBridge API the route calls.
   * @default HttpIntegrationSubtype.EVENTBRIDGE_PUT_EVENTS
   */
  readonly subtype?: HttpIntegrationSubtype;

  /**
   * Request parameters of the PutEvents call. A missing `EventBusName` is added (on a copy).
   * @default - `Detail`, `DetailType` and `Source` from the request body, and `EventBusName`
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * A role for API Gateway to assume instead of the one this integration creates.
   * @default - a new role trusted by apigateway.amazonaws.com
   */
  readonly credentialsRole?: iam.IRole;

  /**
   * How long API Gateway waits for EventBridge: 50 ms to 30 s.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
}

/**
 * Puts events on an EventBridge bus from an HTTP API route.
 */
export class HttpEventBridgeIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: HttpEventBridgeIntegrationProps) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const subtype = this.props.subtype ?? HttpIntegrationSubtype.EVENTBRIDGE_PUT_EVENTS;
    checkSubtype(options, OWNER, subtype, 'EventBridge-');
    const bus = this.props.eventBusRef;
    const mapping = this.props.parameterMapping
      ? withDefault(this.props.parameterMapping, 'EventBusName', bus.eventBusName)
      : new ParameterMapping()
        .custom('Detail', '$request.body.Detail')
        .custom('DetailType', '$request.body.DetailType')
        .custom('Source', '$request.body.Source')
        .custom('EventBusName', bus.eventBusName);
    return bindServiceCall(options, {
      owner: OWNER,
      subtype,
      statement: new iam.PolicyStatement({ sid: 'AllowEventBridgePutEvents', actions: ['events:PutEvents'], resources: [bus.eventBusArn] }),
      parameterMapping: mapping,
      role: this.props.credentialsRole,
      timeout: this.timeout,
    });
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }
}
