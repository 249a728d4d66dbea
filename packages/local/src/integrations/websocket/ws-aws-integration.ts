import { evaluateSelection } from './selection-expression';
import { wsContext, WsOutcome, WsRequest, WsRouteIntegration } from './ws-request';
import { IntegrationResponseModel } from '../../model/websocket-apis';
import { callAction, canCallAction } from '../../services/aws-service-action';
import { headerLists, queryLists } from '../lambda-proxy/request-parts';
import { renderTemplate } from '../vtl/mapping-template';

/** An `AWS` integration of a WebSocket route, as the template defines it. */
export interface WsAwsIntegrationSettings {
  /** `arn:aws:apigateway:<region>:<service>:action/<Action>`. */
  readonly uri: string;
  readonly requestTemplates: Record<string, string>;
  readonly templateSelectionExpression?: string;
  /** WHEN_NO_MATCH (the default), WHEN_NO_TEMPLATES or NEVER. */
  readonly passthroughBehavior?: string;
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
    const body = request.body ?? '';
    const template = this.requestTemplate(body);
    if (template.fail) return { ok: false, reason: template.fail };
    const rendered = template.text === undefined ? body : renderTemplate(template.text, {
      body,
      context: wsContext(request),
      stageVariables: request.stageVariables,
      params: {
        header: Object.fromEntries([...headerLists({ headers: request.connection.headers })].map(([n, v]) => [n, v.join(',')])),
        querystring: Object.fromEntries([...queryLists(request.connection.rawQueryString)].map(([n, v]) => [n, v.join(',')])),
        path: {},
      },
    });
    try {
      JSON.parse(rendered);
    } catch {
      return { ok: false, reason: `the request template rendered text that is not JSON: ${rendered}` };
    }
    const { service, action } = this.target;
    const endpoint = this.settings.endpoints[service];
    const result = await callAction(endpoint, service, action, rendered, this.settings.region);
    if (result.status >= 400) {
      return { ok: false, reason: `${service} ${action} answered ${result.status} ${result.errorType ?? ''}: ${result.body}; the request was: ${rendered}` };
    }
    return { ok: true, statusCode: 200, reply: this.settings.twoWay ? this.reply(request, result.status, result.body) : undefined };
  }

  private requestTemplate(body: string): { text?: string; fail?: string } {
    const templates = this.settings.requestTemplates;
    const expression = this.settings.templateSelectionExpression;
    const key = expression === undefined ? undefined : evaluateSelection(expression, body);
    const text = (key !== undefined ? templates[key] : undefined) ?? templates.$default;
    if (text !== undefined) return { text };
    const behaviour = this.settings.passthroughBehavior ?? 'WHEN_NO_MATCH';
    const passes = behaviour === 'WHEN_NO_MATCH' || (behaviour === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length === 0);
    return passes ? {} : { fail: `no request template for '${key ?? ''}' and PassthroughBehavior ${behaviour}` };
  }

  /** The integration response for `status` (`$default` or a `/regex/` key), its template rendered, or nothing. */
  private reply(request: WsRequest, status: number, answer: string): string | undefined {
    const responses = this.settings.integrationResponses;
    const matching = responses.find((r) => r.key !== '$default' && new RegExp(`^(?:${r.key.replace(/^\/|\/$/g, '')})$`).test(String(status)))
      ?? responses.find((r) => r.key === '$default');
    if (!matching) return undefined;
    const key = matching.templateSelectionExpression === undefined ? undefined : evaluateSelection(matching.templateSelectionExpression, answer);
    const template = (key !== undefined ? matching.responseTemplates[key] : undefined) ?? matching.responseTemplates.$default;
    if (template === undefined) return answer;
    return renderTemplate(template, { body: answer, context: wsContext(request), stageVariables: request.stageVariables });
  }
}
