import { rewriteExecuteApiUrls } from './execute-api-urls';
import { httpApiServers, servedHttpApi, serveHttpRoutes } from './http-wiring';
import { Lifecycle } from './lifecycle';
import { listenInTurn } from './listen';
import { pickStack } from './pick-stack';
import { RunningStack, ServeOptions } from './serve-options';
import { StartupReport } from './startup-report';
import { servedWebSocketApi, serveWebSocketRoutes, webSocketApiServers } from './websocket-wiring';
import { TemplateResolver } from '../assembly/intrinsics';
import { FunctionPool } from '../functions/function-pool';
import { FunctionModel, readFunctions } from '../model/functions';
import { readApis } from '../model/http-apis';
import { readStateMachines, StateMachineModel } from '../model/state-machines';
import { readTables } from '../model/tables';
import { readWebSocketApis } from '../model/websocket-apis';
import { createTemplateTables, startDynamoDb } from '../services/dynamodb';
import { preparePersistDir } from '../services/persist-dir';
import { startSfnEndpoint, StepFunctionsService } from '../services/step-functions';
import { startUnemulatedEndpoint } from '../services/unemulated-endpoint';

/** The services the runner embeds, as `AWS_ENDPOINT_URL_<SERVICE>` names them. */
const DYNAMODB = 'DYNAMODB';
const SFN = 'SFN';

/**
 * Serves one stack of a CDK app on loopback: its HTTP and WebSocket APIs on
 * their own ports, its Lambda functions in workers, its tables in dynalite,
 * its state machines in aws-local-stepfunctions. Each startup step is
 * time-limited; if one fails, everything started before it is stopped.
 */
export async function serveStack(options: ServeOptions): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const lifecycle = new Lifecycle({ stepTimeLimitMs: options.startupStepLimitMs, signal: options.signal });
  const report = new StartupReport();
  // The app's own synth has no limit: a large app may take minutes.
  const stack = await pickStack(options, log);
  const resolver = new TemplateResolver(stack);
  const env = resolver.env;
  const { apis, notEmulated } = readApis(resolver);
  notEmulated.forEach((n) => report.notEmulated(n.what, n.where));
  try {
    const persistDir = options.persistDir === undefined ? undefined
      : await lifecycle.step('check the --persist folder', () => preparePersistDir(options.persistDir!));
    const dynamodb = await lifecycle.step('start DynamoDB (dynalite)', async () => {
      const started = await startDynamoDb({ persistDir });
      lifecycle.own('services', () => started.stop());
      return started;
    });
    const elsewhere = await lifecycle.step('start the endpoint of services not emulated', async () => {
      const started = await startUnemulatedEndpoint((call) => log(`a function called ${call.service} (${call.operation}), which the runner does not emulate: answered 501 NotEmulated`));
      lifecycle.own('services', () => started.stop());
      return started;
    });
    const sfnEndpoint = await lifecycle.step('start the Step Functions endpoint', async () => {
      const started = await startSfnEndpoint((target) => log(`a function called states (${target}), which the runner does not emulate: answered 501 NotEmulated`));
      lifecycle.own('services', () => started.stop());
      return started;
    });

    const http = httpApiServers(apis, { env, clock: options.clock, log }, report);
    const webSocket = webSocketApiServers(readWebSocketApis(resolver, apis), {
      env, idleTimeoutMs: options.wsIdleTimeoutMs, maxLifetimeMs: options.wsMaxLifetimeMs, log,
    }, report);
    const servings = [...http, ...webSocket];
    servings.forEach(({ server }) => lifecycle.own('servers', () => server.close()));
    const ports = await lifecycle.step('listen on the APIs\' ports', () => listenInTurn(servings.map((s) => s.server), options.port ?? 3000));
    // Ports are known: execute-api URLs of the app's APIs now resolve to loopback ones.
    const portById = new Map(servings.map((s, i) => [s.api.id, ports[i]]));
    resolver.rewriteStrings((value) => rewriteExecuteApiUrls(value, portById));
    // Before any route is served (until then every request is 404), so no handler finds a table missing.
    const tables = await lifecycle.step('create the tables in DynamoDB', () => createTemplateTables(dynamodb.client, readTables(resolver)));

    const functions = readFunctions(stack, resolver);
    const pool = new FunctionPool(functions, {
      region: env.region,
      // AWS_ENDPOINT_URL (no service suffix) catches every other service, so nothing reaches AWS.
      endpoints: { [DYNAMODB]: dynamodb.endpoint, [SFN]: sfnEndpoint.endpoint },
      fallbackEndpoint: elsewhere.endpoint,
      maxWorkers: options.maxWorkers,
      log,
    });
    lifecycle.own('workers', () => pool.stop());
    const stateMachines = readStateMachines(resolver);
    const stepFunctions = new StepFunctionsService(stateMachines, {
      region: env.region,
      account: env.account,
      functions: { resolve: (nameOrArn) => localFunctionArn(functions, nameOrArn), invoke: (arn, event) => pool.invoke(arn, event) },
      log,
    });
    lifecycle.own('executions', () => stepFunctions.stop());
    sfnEndpoint.serve(stepFunctions);

    if (!options.jwks && apis.some((a) => a.routes.some((r) => r.authorizationType === 'JWT'))) {
      report.warnOnce('jwks', 'JWT authorizers check issuer, audience, expiry and scopes, but not signatures: give --jwks FILE (the issuer\'s JWKS) to verify them');
    }
    serveHttpRoutes(http, { functions, pool, stepFunctions, targets: options.targets ?? {}, jwks: options.jwks, region: env.region, log, report });
    serveWebSocketRoutes(webSocket, { functions, pool, region: env.region, serviceEndpoints: { dynamodb: dynamodb.endpoint }, report });
    reportUnrunnable(report, functions, stateMachines, stepFunctions);

    return {
      stack,
      apis: http.map((s) => servedHttpApi(s, portById.get(s.api.id)!)),
      webSocketApis: webSocket.map((s) => servedWebSocketApi(s, portById.get(s.api.id)!)),
      tables,
      dynamoDbEndpoint: dynamodb.endpoint,
      functions,
      stateMachines,
      stepFunctionsEndpoint: sfnEndpoint.endpoint,
      stepFunctions,
      notEmulated: report.notEmulatedList,
      unresolved: resolver.unresolved,
      warnings: report.warnings,
      pool,
      stop: () => lifecycle.stop(),
    };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}

/** Functions and machines the runner cannot run, and the task states it cannot run in the ones it can. */
function reportUnrunnable(
  report: StartupReport, functions: FunctionModel[], machines: StateMachineModel[], stepFunctions: StepFunctionsService,
): void {
  for (const fn of functions) if (fn.notEmulated) report.notEmulated(fn.notEmulated, fn.logicalId);
  for (const machine of machines) if (machine.notEmulated) report.notEmulated(machine.notEmulated, machine.logicalId);
  for (const { machine, why } of stepFunctions.rejected) report.notEmulated(why, machine);
  for (const task of stepFunctions.unsupportedTasks) report.notEmulated(`Task resource ${task.resource}`, `${task.machine} (${task.state})`);
}

/** A Lambda task's function (a name, a full or partial ARN, qualified or not) as the pool knows it. */
function localFunctionArn(functions: FunctionModel[], nameOrArn: string): string | undefined {
  const unqualified = nameOrArn.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, '$1');
  const fn = functions.find((f) => f.arn === unqualified || f.name === nameOrArn || f.arn.endsWith(`:function:${nameOrArn}`));
  return fn && !fn.notEmulated && fn.code ? fn.arn : undefined;
}
