import { SecureContext } from 'node:tls';
import { ServedWebSocketApi } from './serve-options';
import { StartupReport } from './startup-report';
import { wsRoutesFor, WsIntegrationContext } from './websocket-routes';
import { LocalEnvironment } from '../assembly/local-names';
import { WebSocketApiServer } from '../http/websocket/websocket-api-server';
import { WebSocketApiModel } from '../model/websocket-apis';

/** A WebSocket API and the server that will serve it. */
export interface WebSocketApiServing {
  readonly api: WebSocketApiModel;
  readonly server: WebSocketApiServer;
}

/** What every WebSocket API server is made with. */
export interface WebSocketServerSettings {
  readonly env: LocalEnvironment;
  readonly idleTimeoutMs?: number;
  readonly maxLifetimeMs?: number;
  /** The stage throttles' clock (ms). @default Date.now */
  readonly clock?: () => number;
  readonly log: (line: string) => void;
  /** The ports also speak TLS with this identity. */
  readonly tls?: SecureContext;
}

/** A server for each WebSocket API with a stage, not yet listening and without routes. */
export function webSocketApiServers(apis: WebSocketApiModel[], settings: WebSocketServerSettings, report: StartupReport): WebSocketApiServing[] {
  return apis.flatMap((api) => {
    if (api.stages.length === 0) {
      report.warnOnce(`no-stage:${api.logicalId}`, `WebSocket API ${api.name} (${api.logicalId}) has no stage: API Gateway serves nothing for it, and neither does the runner`);
      return [];
    }
    const server = new WebSocketApiServer({
      apiId: api.id,
      accountId: settings.env.account,
      stages: api.stages,
      routeSelectionExpression: api.routeSelectionExpression,
      idleTimeoutMs: settings.idleTimeoutMs,
      maxLifetimeMs: settings.maxLifetimeMs,
      clock: settings.clock,
      log: settings.log,
      tls: settings.tls,
    });
    return [{ api, server }];
  });
}

/** Gives each server its routes, each bound to its integration. */
export function serveWebSocketRoutes(servings: WebSocketApiServing[], ctx: WsIntegrationContext): void {
  for (const { api, server } of servings) server.serveRoutes(wsRoutesFor(api, ctx));
}

/** The API as the runner reports it: `ws://127.0.0.1:<port>/<stage>` for each stage. */
export function servedWebSocketApi({ api, server }: WebSocketApiServing, port: number): ServedWebSocketApi {
  return {
    logicalId: api.logicalId,
    name: api.name,
    id: api.id,
    port,
    stageUrls: Object.fromEntries(api.stages.map((s) => [s.name, `ws://127.0.0.1:${port}/${s.name}`])),
    routeKeys: api.routes.map((r) => r.routeKey),
    signedRouteKeys: api.routes.filter((r) => r.authorizationType === 'AWS_IAM').map((r) => r.routeKey),
    server,
  };
}
