import { ApiModel, AuthorizerModel, IntegrationModel, StageModel } from './http-apis';
import { TemplateResolver } from '../assembly/intrinsics';

/** An `AWS::ApiGatewayV2::IntegrationResponse` of a WebSocket integration. */
export interface IntegrationResponseModel {
  /** `$default`, or a status pattern such as `/4\d\d/`. */
  readonly key: string;
  readonly responseTemplates: Record<string, string>;
  readonly templateSelectionExpression?: string;
}

/** A WebSocket route, with what it answers the client. */
export interface WebSocketRouteModel {
  readonly logicalId: string;
  /** `$connect`, `$disconnect`, `$default` or a selection value such as `sendmessage`. */
  readonly routeKey: string;
  readonly integration?: IntegrationModel;
  /** Whether the route has a route response, which makes it two-way: the integration's result goes back to the client. */
  readonly twoWay: boolean;
  readonly integrationResponses: IntegrationResponseModel[];
  readonly authorizationType: string;
  /** `CUSTOM` routes (`$connect` only, on AWS): the Lambda REQUEST authorizer. */
  readonly authorizer?: AuthorizerModel;
}

/** An `AWS::ApiGatewayV2::Api` with `ProtocolType: WEBSOCKET`. */
export interface WebSocketApiModel {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  /** `$request.body.action` and the like. */
  readonly routeSelectionExpression: string;
  readonly stages: StageModel[];
  readonly routes: WebSocketRouteModel[];
}

/**
 * The WebSocket APIs among `apis` (as `readApis` read them), with what only
 * WebSocket APIs have: the route selection expression, route responses and
 * integration responses.
 */
export function readWebSocketApis(resolver: TemplateResolver, apis: ApiModel[]): WebSocketApiModel[] {
  const refOf = (id: string) => resolver.resolveString({ Ref: id }, id);
  const routeResponses = new Set(resolver.resourcesOfType('AWS::ApiGatewayV2::RouteResponse')
    .map(([id, r]) => resolver.resolveString(r.Properties?.RouteId, `${id}.RouteId`)));
  const integrationResponses = new Map<string, IntegrationResponseModel[]>();
  for (const [id, r] of resolver.resourcesOfType('AWS::ApiGatewayV2::IntegrationResponse')) {
    const p = r.Properties ?? {};
    const integrationId = resolver.resolveString(p.IntegrationId, `${id}.IntegrationId`);
    if (!integrationId) continue;
    integrationResponses.set(integrationId, [...(integrationResponses.get(integrationId) ?? []), {
      key: resolver.resolveString(p.IntegrationResponseKey, `${id}.IntegrationResponseKey`) ?? '$default',
      responseTemplates: resolver.resolve(p.ResponseTemplates ?? {}, `${id}.ResponseTemplates`) ?? {},
      templateSelectionExpression: resolver.resolveString(p.TemplateSelectionExpression, `${id}.TemplateSelectionExpression`),
    }]);
  }
  return apis.filter((a) => a.protocol === 'WEBSOCKET').map((api) => {
    const properties = resolver.resources().find(([id]) => id === api.logicalId)?.[1].Properties ?? {};
    return {
      logicalId: api.logicalId,
      id: api.id,
      name: api.name,
      routeSelectionExpression: resolver.resolveString(properties.RouteSelectionExpression, `${api.logicalId}.RouteSelectionExpression`) ?? '$request.body.action',
      stages: api.stages,
      routes: api.routes.map((route) => ({
        logicalId: route.logicalId,
        routeKey: route.routeKey,
        integration: route.integration,
        twoWay: routeResponses.has(refOf(route.logicalId)),
        integrationResponses: route.integration ? integrationResponses.get(refOf(route.integration.logicalId)!) ?? [] : [],
        authorizationType: route.authorizationType,
        authorizer: route.authorizer,
      })),
    };
  });
}
