import { StartupReport } from './startup-report';
import { FunctionPool } from '../functions/function-pool';
import { WsRouteEntry } from '../http/websocket/websocket-api-server';
import { awsAction, WsAwsIntegration } from '../integrations/websocket/ws-aws-integration';
import { WsLambdaIntegration } from '../integrations/websocket/ws-lambda-integration';
import { WsOutcome, WsRouteIntegration } from '../integrations/websocket/ws-request';
import { WsTimeLimitedIntegration } from '../integrations/websocket/ws-time-limit';
import { FunctionModel, whyNotInvocable } from '../model/functions';
import { WebSocketApiModel, WebSocketRouteModel } from '../model/websocket-apis';

/** What the runner has to build WebSocket route integrations from. */
export interface WsIntegrationContext {
  readonly functions: FunctionModel[];
  readonly pool: FunctionPool;
  readonly region: string;
  /** Embedded service endpoints by the service name AWS integration URIs use (`dynamodb`). */
  readonly serviceEndpoints: Record<string, string>;
  /** Where what the runner cannot run is reported. */
  readonly report: StartupReport;
}

/** The routes of a WebSocket API, by route key, as the server runs them. */
export function wsRoutesFor(api: WebSocketApiModel, ctx: WsIntegrationContext): Map<string, WsRouteEntry> {
  return new Map(api.routes.map((route) => {
    const integration = wsIntegrationFor(route, ctx);
    const bounded = route.integration ? new WsTimeLimitedIntegration(integration, route.integration.timeoutMs) : integration;
    return [route.routeKey, { integration: bounded, twoWay: route.twoWay }];
  }));
}

function wsIntegrationFor(route: WebSocketRouteModel, ctx: WsIntegrationContext): WsRouteIntegration {
  const missing = (what: string): WsRouteIntegration => {
    ctx.report.notEmulated(what, route.routeKey);
    const outcome: WsOutcome = { ok: false, reason: `not emulated: ${what}` };
    return { handle: async () => outcome };
  };
  // Refused rather than run unauthenticated.
  if (route.authorizationType !== 'NONE') return missing(`${route.authorizationType} authorization of a WebSocket route`);
  const integration = route.integration;
  if (!integration) return missing('route without an integration');
  if (integration.functionArn) {
    if (ctx.pool.has(integration.functionArn)) return new WsLambdaIntegration(ctx.pool, integration.functionArn);
    return missing(whyNotInvocable(ctx.functions, integration.functionArn));
  }
  const p = integration.properties;
  if (integration.type === 'AWS' && integration.uri && awsAction(integration.uri)) {
    return new WsAwsIntegration({
      uri: integration.uri,
      requestTemplates: p.RequestTemplates ?? {},
      templateSelectionExpression: p.TemplateSelectionExpression,
      passthroughBehavior: p.PassthroughBehavior,
      integrationResponses: route.integrationResponses,
      twoWay: route.twoWay,
      region: ctx.region,
      endpoints: ctx.serviceEndpoints,
    });
  }
  return missing(integration.type === 'AWS' ? `AWS integration ${integration.uri ?? '(unresolved URI)'}` : `integration type ${integration.type}`);
}
