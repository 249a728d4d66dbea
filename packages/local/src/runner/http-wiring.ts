import { SecureContext } from 'node:tls';
import { integrationFor, IntegrationContext } from './route-integrations';
import { ServedApi } from './serve-options';
import { StartupReport } from './startup-report';
import { LocalEnvironment } from '../assembly/local-names';
import { HttpApiServer } from '../http/http-api-server';
import { RouteEntry } from '../http/route-table';
import { RouteIntegration } from '../integrations/api-request';
import { ApiModel } from '../model/http-apis';

/** An HTTP API and the server that will serve it. */
export interface HttpApiServing {
  readonly api: ApiModel;
  readonly server: HttpApiServer;
}

/** What every HTTP API server is made with. */
export interface HttpServerSettings {
  readonly env: LocalEnvironment;
  readonly clock?: () => number;
  readonly log: (line: string) => void;
  /** The ports also speak TLS with this identity. */
  readonly tls?: SecureContext;
}

/**
 * A server for each HTTP API with a stage, not yet listening and without
 * routes (the routes' integrations need every API's port first).
 */
export function httpApiServers(apis: ApiModel[], settings: HttpServerSettings, report: StartupReport): HttpApiServing[] {
  return apis.filter((api) => api.protocol === 'HTTP').flatMap((api) => {
    if (api.stages.length === 0) {
      report.warnOnce(`no-stage:${api.logicalId}`, `HTTP API ${api.name} (${api.logicalId}) has no stage: API Gateway serves nothing for it, and neither does the runner`);
      return [];
    }
    const server = new HttpApiServer({
      apiId: api.id,
      accountId: settings.env.account,
      stages: api.stages,
      cors: api.cors,
      clock: settings.clock,
      routes: [],
      log: settings.log,
      tls: settings.tls,
    });
    return [{ api, server }];
  });
}

/** Gives each server its routes, each bound to its integration; an API's routes share its authorizers. */
export function serveHttpRoutes(servings: HttpApiServing[], ctx: Omit<IntegrationContext, 'lambdaAuthorizers'>): void {
  for (const { api, server } of servings) {
    const apiCtx: IntegrationContext = { ...ctx, lambdaAuthorizers: new Map() };
    server.serveRoutes(api.routes.map((route): RouteEntry<RouteIntegration> => ({ routeKey: route.routeKey, value: integrationFor(route, apiCtx) })));
  }
}

/** The API as the runner reports it: `http://127.0.0.1:<port>` plus `/<stage>` for each named stage. */
export function servedHttpApi({ api }: HttpApiServing, port: number): ServedApi {
  return {
    logicalId: api.logicalId,
    name: api.name,
    id: api.id,
    port,
    stageUrls: Object.fromEntries(api.stages.map((s) => [s.name, `http://127.0.0.1:${port}${s.name === '$default' ? '' : `/${s.name}`}`])),
    routeKeys: api.routes.map((r) => r.routeKey),
    signedRouteKeys: api.routes.filter((r) => r.authorizationType === 'AWS_IAM').map((r) => r.routeKey),
  };
}
