import { WsOutcome, WsRequest, WsRouteIntegration } from './ws-request';
import { integrationResponseFor, renderReply, renderRequest, WsRequestTemplates } from './ws-templates';
import { IntegrationResponseModel } from '../../model/websocket-apis';
import { callAction, canCallAction } from '../../services/aws-service-action';

/** An `AWS` integration of a WebSocket route, as the template defines it. */
export interface WsAwsIntegrationSettings extends WsRequestTemplates {
  /** `arn:aws:apigateway:<region>:<service>:action/<Action>`. */
  readonly uri: string;
  readonly integrationResponses: IntegrationResponseModel[];
  readonly twoWay: boolean;
  readonly region: string;
  /** The embedded services' endpoints, by service name in the URI (`dynamodb`). */
  readonly endpoints: Record<string, string>;
}

/** The service and action of an AWS integration URI, when it names one the runner can call. */
export function awsAction(uri: string): { service: string; action: string } | undefined {
  const m = /^arn:[^:]+:apigateway:[^:]+:([^:]+):action\/([A-Za-z]+)$/.exec(uri);
  return m && canCallAction(m[1]) ? { service: m[1], action: m[2] } : undefined;
}

/**
 * An `AWS` integration of a WebSocket route
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-data-transformations.html):
 * the request template picked by `TemplateSelectionExpression` (else
 * `$default`, else `PassthroughBehavior` decides), rendered with the
 * mapping-template variables, sent as the action's request to the embedded
 * service; on a two-way route the integration response's template renders
 * the service's answer for the client. A template that does not render
 * JSON, a missing template under NEVER, or an error answer from the service
 * is an integration failure.
 */
export class WsAwsIntegration implements WsRouteIntegration {
  private readonly target: { service: string; action: string };

  constructor(private readonly settings: WsAwsIntegrationSettings) {
    const target = awsAction(settings.uri);
    if (!target) throw new Error(`not an action the runner can call: ${settings.uri}`);
    this.target = target;
  }

  public async handle(request: WsRequest): Promise<WsOutcome> {
    const rendered = renderRequest(this.settings, request);
    if ('fail' in rendered) return { ok: false, reason: rendered.fail };
    try {
      JSON.parse(rendered.text);
    } catch {
      return { ok: false, reason: `the request template rendered text that is not JSON: ${rendered.text}` };
    }
    const { service, action } = this.target;
    const endpoint = this.settings.endpoints[service];
    const result = await callAction(endpoint, service, action, rendered.text, this.settings.region);
    if (result.status >= 400) {
      return { ok: false, reason: `${service} ${action} answered ${result.status} ${result.errorType ?? ''}: ${result.body}; the request was: ${rendered.text}` };
    }
    const response = this.settings.twoWay ? integrationResponseFor(this.settings.integrationResponses, result.status) : undefined;
    return { ok: true, statusCode: 200, reply: response ? renderReply(response, request, result.body) : undefined };
  }
}
