import { StartupReport } from './startup-report';
import { FunctionPool } from '../functions/function-pool';
import { RUNNER_SIGNING_KEY } from '../functions/lambda-environment';
import { WsRouteEntry } from '../http/websocket/websocket-api-server';
import { WsIamAuthorizer } from '../integrations/authorizers/ws-iam-authorizer';
import { WsLambdaAuthorizer } from '../integrations/authorizers/ws-lambda-authorizer';
import { awsAction, WsAwsIntegration } from '../integrations/websocket/ws-aws-integration';
import { WsLambdaIntegration } from '../integrations/websocket/ws-lambda-integration';
import { WsMockIntegration } from '../integrations/websocket/ws-mock-integration';
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
  /** The stack's account. */
  readonly accountId: string;
  /** The clock (ms) of signature dates. @default Date.now */
  readonly clock?: () => number;
  /** Where authorizer failures are printed. */
  readonly log: (line: string) => void;
}

/** The routes of a WebSocket API, by route key, as the server runs them. */
export function wsRoutesFor(api: WebSocketApiModel, ctx: WsIntegrationContext): Map<string, WsRouteEntry> {
  return new Map(api.routes.map((route) => {
    const authorization = authorizationFor(route, ctx);
    const integration = authorization.refused ?? wsIntegrationFor(route, ctx);
    const bounded = route.integration ? new WsTimeLimitedIntegration(integration, route.integration.timeoutMs) : integration;
    return [route.routeKey, { integration: bounded, twoWay: route.twoWay, authorizer: authorization.authorizer }];
  }));
}

/** A route's `AuthorizationType` as the runner runs it: none, a `$connect` Lambda authorizer, or refused (never run unauthenticated). */
function authorizationFor(
  route: WebSocketRouteModel, ctx: WsIntegrationContext,
): { authorizer?: WsLambdaAuthorizer | WsIamAuthorizer; refused?: WsRouteIntegration } {
  if (route.authorizationType === 'NONE') return {};
  const refuse = (what: string) => ({ refused: notEmulated(route, ctx, what) });
  if (route.authorizationType === 'AWS_IAM' && route.routeKey === '$connect') {
    return { authorizer: new WsIamAuthorizer({ keys: [RUNNER_SIGNING_KEY], region: ctx.region, clock: ctx.clock, log: ctx.log }) };
  }
  const authorizer = route.authorizer;
  // AWS accepts an authorizer on $connect only (apigateway-websocket-api-lambda-auth.html).
  if (route.authorizationType !== 'CUSTOM' || route.routeKey !== '$connect' || !authorizer?.functionArn) {
    return refuse(`${route.authorizationType} authorization of a WebSocket route`);
  }
  if (!ctx.pool.has(authorizer.functionArn)) return refuse(`the authorizer ${authorizer.name}: ${whyNotInvocable(ctx.functions, authorizer.functionArn)}`);
  const { functionArn, identitySource } = authorizer;
  return { authorizer: new WsLambdaAuthorizer(ctx.pool, { functionArn, identitySource, region: ctx.region }, ctx.log) };
}

/** An integration that fails as a failing one does, reported at startup. */
function notEmulated(route: WebSocketRouteModel, ctx: WsIntegrationContext, what: string): WsRouteIntegration {
  ctx.report.notEmulated(what, route.routeKey);
  const outcome: WsOutcome = { ok: false, reason: `not emulated: ${what}` };
  return { handle: async () => outcome };
}

function wsIntegrationFor(route: WebSocketRouteModel, ctx: WsIntegrationContext): WsRouteIntegration {
  const missing = (what: string) => notEmulated(route, ctx, what);
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
  if (integration.type === 'MOCK') {
    return new WsMockIntegration({
      requestTemplates: p.RequestTemplates ?? {},
      templateSelectionExpression: p.TemplateSelectionExpression,
      passthroughBehavior: p.PassthroughBehavior,
      integrationResponses: route.integrationResponses,
      twoWay: route.twoWay,
    });
  }
  return missing(integration.type === 'AWS' ? `AWS integration ${integration.uri ?? '(unresolved URI)'}` : `integration type ${integration.type}`);
}
