import { WsOutcome, WsRequest, WsRouteIntegration } from './ws-request';
import { integrationResponseFor, renderReply, renderRequest, WsRequestTemplates } from './ws-templates';
import { IntegrationResponseModel } from '../../model/websocket-apis';

/** A `MOCK` integration of a WebSocket route, as the template defines it. */
export interface WsMockIntegrationSettings extends WsRequestTemplates {
  readonly integrationResponses: IntegrationResponseModel[];
  readonly twoWay: boolean;
}

/**
 * A `MOCK` integration of a WebSocket route: API Gateway answers without a
 * backend. The request template renders `{"statusCode": N}`; N selects the
 * integration response (a `/regex/` key matching it, else `$default`,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-responses.html),
 * whose template renders what a two-way route sends back; on `$connect`, N
 * decides the handshake. AWS's WebSocket pages do not spell out where the
 * status comes from; the runner reads it as aws-cdk-lib's
 * `WebSocketMockIntegration` example writes it. With no request template
 * for the message, "a method of the mock integration [can] return the
 * default integration response without defining the integration request
 * mapping template" (REST APIs' https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-mock-integration.html):
 * a message passed through without a `statusCode` of its own answers 200
 * with the `$default` response. A mock has no answer of its own, so the
 * response template's `$input.body` is empty (the runner's choice: AWS
 * documents nothing). A template that renders no integer status, or no
 * integration response for it on a two-way route (AWS logs "No match for
 * output mapping and no default output mapping configured"), is an
 * integration failure.
 */
export class WsMockIntegration implements WsRouteIntegration {
  constructor(private readonly settings: WsMockIntegrationSettings) {}

  public async handle(request: WsRequest): Promise<WsOutcome> {
    const rendered = renderRequest(this.settings, request);
    if ('fail' in rendered) return { ok: false, reason: rendered.fail };
    const statusCode = statusOf(rendered.text) ?? (rendered.passedThrough ? 200 : undefined);
    if (statusCode === undefined) {
      return { ok: false, reason: `the MOCK request template must render {"statusCode": <integer>}; it rendered: ${rendered.text.slice(0, 200)}` };
    }
    if (!this.settings.twoWay) return { ok: true, statusCode };
    const responses = this.settings.integrationResponses;
    const response = rendered.passedThrough && statusOf(rendered.text) === undefined
      ? responses.find((r) => r.key === '$default')
      : integrationResponseFor(responses, statusCode);
    if (!response) return { ok: false, reason: `No match for output mapping and no default output mapping configured (status ${statusCode})` };
    return { ok: true, statusCode, reply: renderReply(response, request, '') };
  }
}

function statusOf(text: string): number | undefined {
  try {
    const status = JSON.parse(text)?.statusCode;
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
  } catch {
    return undefined;
  }
}
