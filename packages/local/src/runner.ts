import { JsonWebKey } from 'node:crypto';
import { AssemblyStack, loadAssembly } from './assembly/cloud-assembly';
import { TemplateResolver, UnresolvedValue } from './assembly/intrinsics';
import { sourceKind, synthesizeApp } from './assembly/synthesize';
import { FunctionPool } from './functions/function-pool';
import { HttpApiServer } from './http/http-api-server';
import { RouteEntry } from './http/route-table';
import { WebSocketApiServer } from './http/websocket/websocket-api-server';
import { RouteIntegration } from './integrations/api-request';
import { FunctionModel, readFunctions } from './model/functions';
import { ApiModel, readApis } from './model/http-apis';
import { NotEmulated } from './model/not-emulated';
import { readStateMachines, StateMachineModel } from './model/state-machines';
import { readTables } from './model/tables';
import { readWebSocketApis, WebSocketApiModel } from './model/websocket-apis';
import { integrationFor } from './route-integrations';
import { createTemplateTables, startDynamoDb, TableCreation } from './services/dynamodb';
import { startSfnEndpoint, StepFunctionsService } from './services/step-functions';
import { startUnemulatedEndpoint } from './services/unemulated-endpoint';
import { wsRoutesFor } from './websocket-routes';

/** A mistake in what the runner was asked to serve: the CLI prints it in one line and exits 2. */
export class UsageError extends Error {}

/** What to serve and how. */
export interface ServeOptions {
  /** A CDK app folder (synthesized first) or a cloud assembly (cdk.out). */
  readonly source: string;
  /** Where an app folder is synthesized. @default cdk.json's `output`, else `<app>/cdk.out`, as the CDK CLI writes it */
  readonly synthOutdir?: string;
  /** The stack to serve, by name or artifact id; required when there are several. */
  readonly stack?: string;
  /** The first HTTP API's port; the next APIs take the next free ports. @default 3000 */
  readonly port?: number;
  /** Keep DynamoDB data in this folder across restarts. @default in memory */
  readonly persistDir?: string;
  /** All function workers together. @default 8 */
  readonly maxWorkers?: number;
  /**
   * Where private integrations (VPC link) send requests: a base URL by
   * integration logical id, or under `*` for all of them.
   * @default - none: private integrations answer 503
   */
  readonly targets?: Record<string, string>;
  /**
   * The keys JWT authorizers verify token signatures with (the issuer's JWKS).
   * @default - signatures are not verified; claims and scopes still are
   */
  readonly jwks?: { readonly keys: JsonWebKey[] };
  /** WebSocket connections idle this long are closed. @default 10 minutes, as on AWS */
  readonly wsIdleTimeoutMs?: number;
  /** WebSocket connections are closed at this age. @default 2 hours, as on AWS */
  readonly wsMaxLifetimeMs?: number;
  /** The throttle buckets' clock in ms (tests pass a fake one). @default Date.now */
  readonly clock?: () => number;
  /** Where progress, request lines and handler output go. @default console.log */
  readonly log?: (line: string) => void;
}

/** One served API (HTTP; WebSocket ones add their server). */
export interface ServedApi {
  readonly logicalId: string;
  readonly name: string;
  readonly id: string;
  readonly port: number;
  /** By stage: `http://127.0.0.1:<port>` plus `/<stage>` for each named stage, or nothing for `$default`. */
  readonly stageUrls: Record<string, string>;
  readonly routeKeys: string[];
}

/** One served WebSocket API: its `stageUrls` are `ws://127.0.0.1:<port>/<stage>`. */
export interface ServedWebSocketApi extends ServedApi {
  /** The server: open connection ids, and the test-only drop without `$disconnect`. */
  readonly server: WebSocketApiServer;
}

/** A running local copy of a stack. */
export interface RunningStack {
  readonly stack: AssemblyStack;
  readonly apis: ServedApi[];
  readonly webSocketApis: ServedWebSocketApi[];
  readonly tables: TableCreation[];
  readonly dynamoDbEndpoint: string;
  readonly functions: FunctionModel[];
  readonly stateMachines: StateMachineModel[];
  /** The embedded Step Functions endpoint (`AWS_ENDPOINT_URL_SFN` of the functions). */
  readonly stepFunctionsEndpoint: string;
  readonly stepFunctions: StepFunctionsService;
  readonly notEmulated: NotEmulated[];
  readonly unresolved: UnresolvedValue[];
  /** Assembly and template warnings (manifest version, APIs without a stage). */
  readonly warnings: string[];
  readonly pool: FunctionPool;
  /** Stops servers, workers and DynamoDB. */
  stop(): Promise<void>;
}

/** The services the runner embeds, as `AWS_ENDPOINT_URL_<SERVICE>` names them. */
const DYNAMODB = 'DYNAMODB';
const SFN = 'SFN';

/**
 * Serves one stack of a CDK app on loopback: its HTTP APIs on their own
 * ports, its Lambda functions in workers, its tables in dynalite.
 */
export async function serveStack(options: ServeOptions): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const stack = await pickStack(options, log);
  const warnings: string[] = [];
  const resolver = new TemplateResolver(stack);
  const { apis, notEmulated } = readApis(resolver);

  // Stopped in reverse order of start, except that the servers close first: no request arrives at a stopped pool.
  const stoppers: Array<() => Promise<void>> = [];
  const serverStoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of [...serverStoppers, ...stoppers.reverse()]) await s().catch(() => undefined);
  };
  try {
    const dynamodb = await startDynamoDb({ persistDir: options.persistDir });
    stoppers.push(() => dynamodb.stop());
    const tables = await createTemplateTables(dynamodb.client, readTables(resolver));
    const elsewhere = await startUnemulatedEndpoint((call) => log(`a function called ${call.service} (${call.operation}), which the runner does not emulate: answered 501 NotEmulated`));
    stoppers.push(() => elsewhere.stop());

    const httpApis = apis.filter((a) => a.protocol === 'HTTP');
    const servers: Array<{ api: ApiModel; server: HttpApiServer; port: number }> = [];
    let nextPort = options.port ?? 3000;
    for (const api of httpApis) {
      if (api.stages.length === 0) {
        warnings.push(`HTTP API ${api.name} (${api.logicalId}) has no stage: API Gateway serves nothing for it, and neither does the runner`);
        continue;
      }
      const server = new HttpApiServer({
        apiId: api.id, accountId: resolver.env.account, stages: api.stages, cors: api.cors, clock: options.clock, routes: [], log,
      });
      const port = await listenFrom(server, nextPort, servers.length === 0);
      serverStoppers.push(() => server.close());
      servers.push({ api, server, port });
      nextPort = port + 1;
    }

    const wsServers: Array<{ api: WebSocketApiModel; server: WebSocketApiServer; port: number }> = [];
    for (const api of readWebSocketApis(resolver, apis)) {
      if (api.stages.length === 0) {
        warnings.push(`WebSocket API ${api.name} (${api.logicalId}) has no stage: API Gateway serves nothing for it, and neither does the runner`);
        continue;
      }
      const server = new WebSocketApiServer({
        apiId: api.id,
        accountId: resolver.env.account,
        stages: api.stages,
        routeSelectionExpression: api.routeSelectionExpression,
        idleTimeoutMs: options.wsIdleTimeoutMs,
        maxLifetimeMs: options.wsMaxLifetimeMs,
        log,
      });
      const port = await listenFrom(server, nextPort, servers.length + wsServers.length === 0);
      serverStoppers.push(() => server.close());
      wsServers.push({ api, server, port });
      nextPort = port + 1;
    }

    // Ports are known: execute-api URLs of the app's APIs now resolve to loopback ones.
    const ports = new Map([...servers, ...wsServers].map((s) => [s.api.id, s.port]));
    resolver.rewriteStrings((value) => rewriteExecuteApiUrls(value, ports));
    const functions = readFunctions(stack, resolver);
    const stateMachines = readStateMachines(resolver);
    // The machines' Lambda tasks run in the pool, which is made once the Step Functions endpoint is known.
    let pool: FunctionPool | undefined;
    const stepFunctions = new StepFunctionsService(stateMachines, {
      region: resolver.env.region,
      account: resolver.env.account,
      functions: {
        resolve: (nameOrArn) => localFunctionArn(functions, nameOrArn),
        invoke: (arn, event) => pool!.invoke(arn, event),
      },
      log,
    });
    stoppers.push(() => stepFunctions.stop());
    const sfnEndpoint = await startSfnEndpoint(stepFunctions, (target) => log(`a function called states (${target}), which the runner does not emulate: answered 501 NotEmulated`));
    stoppers.push(() => sfnEndpoint.stop());
    pool = new FunctionPool(functions, {
      region: resolver.env.region,
      // AWS_ENDPOINT_URL (no service suffix) catches every other service, so nothing reaches AWS.
      endpoints: { [DYNAMODB]: dynamodb.endpoint, [SFN]: sfnEndpoint.endpoint },
      fallbackEndpoint: elsewhere.endpoint,
      maxWorkers: options.maxWorkers,
      log,
    });
    stoppers.push(() => pool!.stop());

    const context = {
      functions, pool, stepFunctions, targets: options.targets ?? {}, jwks: options.jwks, region: resolver.env.region, log, notEmulated, warnings,
    };
    if (!options.jwks && apis.some((a) => a.routes.some((r) => r.authorizationType === 'JWT'))) {
      warnings.push('JWT authorizers check issuer, audience, expiry and scopes, but not signatures: give --jwks FILE (the issuer\'s JWKS) to verify them');
    }
    for (const { api, server } of servers) {
      const routes = api.routes.map((route): RouteEntry<RouteIntegration> => ({
        routeKey: route.routeKey,
        value: integrationFor(route, context),
      }));
      server.serveRoutes(routes);
    }
    const wsContext = { functions, pool, region: resolver.env.region, serviceEndpoints: { dynamodb: dynamodb.endpoint }, notEmulated };
    for (const { api, server } of wsServers) server.serveRoutes(wsRoutesFor(api, wsContext));
    for (const fn of functions.filter((f) => f.notEmulated)) notEmulated.push({ what: fn.notEmulated!, where: fn.logicalId });
    for (const machine of stateMachines.filter((m) => m.notEmulated)) notEmulated.push({ what: machine.notEmulated!, where: machine.logicalId });
    for (const { machine, why } of stepFunctions.rejected) notEmulated.push({ what: why, where: machine });
    for (const task of stepFunctions.unsupportedTasks) notEmulated.push({ what: `Task resource ${task.resource}`, where: `${task.machine} (${task.state})` });

    return {
      stack,
      apis: servers.map(({ api, port }) => ({
        logicalId: api.logicalId,
        name: api.name,
        id: api.id,
        port,
        stageUrls: Object.fromEntries(api.stages.map((s) => [s.name, `http://127.0.0.1:${port}${s.name === '$default' ? '' : `/${s.name}`}`])),
        routeKeys: api.routes.map((r) => r.routeKey),
      })),
      webSocketApis: wsServers.map(({ api, server, port }) => ({
        logicalId: api.logicalId,
        name: api.name,
        id: api.id,
        port,
        stageUrls: Object.fromEntries(api.stages.map((s) => [s.name, `ws://127.0.0.1:${port}/${s.name}`])),
        routeKeys: api.routes.map((r) => r.routeKey),
        server,
      })),
      tables,
      dynamoDbEndpoint: dynamodb.endpoint,
      functions,
      stateMachines,
      stepFunctionsEndpoint: sfnEndpoint.endpoint,
      stepFunctions,
      notEmulated: dedupe(notEmulated),
      unresolved: resolver.unresolved,
      warnings,
      pool,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function pickStack(options: ServeOptions, log: (line: string) => void): Promise<AssemblyStack> {
  const kind = sourceKind(options.source);
  if (!kind) {
    throw new UsageError(`${options.source}: neither a CDK app folder (cdk.json) nor a cloud assembly (manifest.json); give one of those`);
  }
  const outdir = kind === 'app' ? await synthesizeApp(options.source, log, options.synthOutdir).catch((error: Error) => {
    throw new UsageError(error.message);
  }) : options.source;
  const { stacks, warnings } = loadAssembly(outdir);
  warnings.forEach((w) => log(`warning: ${w}`));
  if (stacks.length === 0) throw new UsageError(`${outdir}: the cloud assembly holds no stacks; synthesize an app that defines one`);
  const names = stacks.map((s) => s.displayName).join(', ');
  if (options.stack) {
    const found = stacks.find((s) => [s.displayName, s.id, s.stackName].includes(options.stack!));
    if (!found) throw new UsageError(`no stack ${options.stack} in ${outdir}; its stacks: ${names}`);
    return found;
  }
  if (stacks.length > 1) throw new UsageError(`${outdir} holds ${stacks.length} stacks (${names}); pick one with --stack NAME`);
  return stacks[0];
}

/** Listens on `port`; for APIs after the first, on the next free port from it. */
async function listenFrom(server: { listen(port: number): Promise<number> }, port: number, exact: boolean): Promise<number> {
  for (let candidate = port; candidate < port + 100; candidate++) {
    try {
      return await server.listen(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (exact) throw new UsageError(`port ${port} on 127.0.0.1 is in use; stop what uses it or pass --port N`);
    }
  }
  throw new UsageError(`no free port from ${port} to ${port + 99} on 127.0.0.1; pass --port N`);
}

/**
 * `https://<api>.execute-api.<region>.<suffix>/<stage>...` of an API the
 * runner serves becomes `http://127.0.0.1:<port>/<stage>...`, so a handler
 * that calls its own API (or builds links to it) reaches the local one.
 */
export function rewriteExecuteApiUrls(value: string, ports: Map<string, number>): string {
  return value.replace(/\b(https|wss):\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/g, (url, scheme: string, id: string) => {
    const port = ports.get(id);
    return port === undefined ? url : `${scheme === 'wss' ? 'ws' : 'http'}://127.0.0.1:${port}`;
  });
}

/** A Lambda task's function (a name, a full or partial ARN, qualified or not) as the pool knows it. */
function localFunctionArn(functions: FunctionModel[], nameOrArn: string): string | undefined {
  const unqualified = nameOrArn.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, '$1');
  const fn = functions.find((f) => f.arn === unqualified || f.name === nameOrArn || f.arn.endsWith(`:function:${nameOrArn}`));
  return fn && !fn.notEmulated && fn.code ? fn.arn : undefined;
}

function dedupe(list: NotEmulated[]): NotEmulated[] {
  const seen = new Set<string>();
  return list.filter((n) => {
    const key = `${n.what}|${n.where}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
