import { evaluateSelection } from './selection-expression';
import { wsContext, WsRequest } from './ws-request';
import { IntegrationResponseModel } from '../../model/websocket-apis';
import { headerLists, queryLists } from '../lambda-proxy/request-parts';
import { renderTemplate } from '../vtl/mapping-template';

/** The request side of a non-proxy WebSocket integration (AWS or MOCK), as the template defines it. */
export interface WsRequestTemplates {
  readonly requestTemplates: Record<string, string>;
  readonly templateSelectionExpression?: string;
  /** WHEN_NO_MATCH (the default), WHEN_NO_TEMPLATES or NEVER. */
  readonly passthroughBehavior?: string;
}

/**
 * The request template picked by `TemplateSelectionExpression` (else
 * `$default`), rendered with the mapping-template variables; with no
 * template, `PassthroughBehavior` passes the message on as it is or fails
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-data-transformations.html).
 */
export function renderRequest(
  settings: WsRequestTemplates, request: WsRequest,
): { readonly text: string; readonly passedThrough?: true } | { readonly fail: string } {
  const body = request.body ?? '';
  const templates = settings.requestTemplates;
  const expression = settings.templateSelectionExpression;
  const key = expression === undefined ? undefined : evaluateSelection(expression, body);
  const template = (key !== undefined ? templates[key] : undefined) ?? templates.$default;
  if (template === undefined) {
    const behaviour = settings.passthroughBehavior ?? 'WHEN_NO_MATCH';
    const passes = behaviour === 'WHEN_NO_MATCH' || (behaviour === 'WHEN_NO_TEMPLATES' && Object.keys(templates).length === 0);
    return passes ? { text: body, passedThrough: true } : { fail: `no request template for '${key ?? ''}' and PassthroughBehavior ${behaviour}` };
  }
  return {
    text: renderTemplate(template, {
      body,
      context: wsContext(request),
      stageVariables: request.stageVariables,
      params: {
        header: Object.fromEntries([...headerLists({ headers: request.connection.headers })].map(([n, v]) => [n, v.join(',')])),
        querystring: Object.fromEntries([...queryLists(request.connection.rawQueryString)].map(([n, v]) => [n, v.join(',')])),
        path: {},
      },
    }),
  };
}

/**
 * The integration response for `status`: the first whose key, a `/regex/`,
 * matches the whole status, else the `$default` one
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-responses.html).
 */
export function integrationResponseFor(responses: IntegrationResponseModel[], status: number): IntegrationResponseModel | undefined {
  return responses.find((r) => r.key !== '$default' && new RegExp(`^(?:${r.key.replace(/^\/|\/$/g, '')})$`).test(String(status)))
    ?? responses.find((r) => r.key === '$default');
}

/** What an integration response sends the client: its template (picked by its selection expression, else `$default`) rendered, or the answer as it is. */
export function renderReply(response: IntegrationResponseModel, request: WsRequest, answer: string): string {
  const key = response.templateSelectionExpression === undefined ? undefined : evaluateSelection(response.templateSelectionExpression, answer);
  const template = (key !== undefined ? response.responseTemplates[key] : undefined) ?? response.responseTemplates.$default;
  if (template === undefined) return answer;
  return renderTemplate(template, { body: answer, context: wsContext(request), stageVariables: request.stageVariables });
}
