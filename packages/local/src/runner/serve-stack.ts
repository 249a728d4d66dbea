import { rewriteExecuteApiUrls } from './execute-api-urls';
import { httpApiServers, servedHttpApi, serveHttpRoutes } from './http-wiring';
import { Lifecycle } from './lifecycle';
import { listenInTurn } from './listen';
import { pickStack, pickStacks } from './pick-stack';
import { RunningStack, ServeOptions } from './serve-options';
import { StartupReport } from './startup-report';
import { servedWebSocketApi, serveWebSocketRoutes, webSocketApiServers } from './websocket-wiring';
import { AssemblyStack } from '../assembly/cloud-assembly';
import { TemplateResolver } from '../assembly/intrinsics';
import { CodeFolders } from '../functions/code-folders';
import { FunctionPool } from '../functions/function-pool';
import { MEMORY_MEASURABLE } from '../functions/memory-use';
import { FunctionModel, readFunctions, unqualifiedArn } from '../model/functions';
import { readApis } from '../model/http-apis';
import { readStateMachines, StateMachineModel } from '../model/state-machines';
import { readTables } from '../model/tables';
import { readWebSocketApis } from '../model/websocket-apis';
import { createTemplateTables, LocalDynamoDb, startDynamoDb } from '../services/dynamodb';
import { preparePersistDir } from '../services/persist-dir';
import { SfnEndpoint, startSfnEndpoint, StepFunctionsService } from '../services/step-functions';
import { createLocalTls } from '../services/tls/local-certificate-authority';
import { startUnemulatedEndpoint, UnemulatedEndpoint } from '../services/unemulated-endpoint';

/**
 * Serves one stack of a CDK app on loopback: its HTTP and WebSocket APIs on
 * their own ports, its Lambda functions in execution environments, its tables in dynalite,
 * its state machines in aws-local-stepfunctions. Each startup step is
 * time-limited; if one fails, everything started before it is stopped.
 */
export async function serveStack(options: ServeOptions): Promise<RunningStack> {
  return serve(options, async (log) => [await pickStack(options, log)]);
}

/**
 * Serves several stacks of one cloud assembly in one runner (one dynalite,
 * one function pool, one Step Functions service), as an integ test's stacks
 * deploy together: `Fn::ImportValue` in one resolves to what another exports.
 * `stacks` names them; all of the assembly's when it names none.
 */
export async function serveStacks(options: ServeOptions & { readonly stacks?: string[] }): Promise<RunningStack> {
  const stacks = options.stacks ?? (options.stack ? [options.stack] : undefined);
  return serve(options, (log) => pickStacks({ ...options, stacks }, log));
}

async function serve(options: ServeOptions, choose: (log: (line: string) => void) => Promise<AssemblyStack[]>): Promise<RunningStack> {
  const log = options.log ?? ((line: string) => console.log(line));
  const lifecycle = new Lifecycle({ stepTimeLimitMs: options.startupStepLimitMs, signal: options.signal });
  const report = new StartupReport();
  // The app's own synth has no limit: a large app may take minutes.
  const stacks = await choose(log);
  // Lookups are lazy, so the order of the stacks does not matter (CloudFormation forbids import cycles).
  const resolvers: TemplateResolver[] = stacks.map((stack) => new TemplateResolver(stack, (name) => exportedBy(resolvers, stack, name)));
  // Each template resolves in its own stack's environment; the function pool, Step Functions and
  // route settings follow the first stack's (an integ test's stacks share one).
  const env = resolvers[0].env;
  const places = new Set(resolvers.map((r) => `${r.env.account}/${r.env.region}`));
  if (places.size > 1) {
    report.warnOnce('environments', `the stacks are in several accounts or regions (${[...places].join(', ')}); functions run in ${env.account}/${env.region}`);
  }
  warnDuplicateExports(resolvers, report);
  const read = resolvers.map((resolver) => ({ resolver, ...readApis(resolver) }));
  read.forEach(({ notEmulated }) => notEmulated.forEach((n) => report.notEmulated(n.what, n.where)));
  const apis = read.flatMap((r) => r.apis);
  try {
    const services = await startServices(lifecycle, options, log);
    const tables = await lifecycle.step('create the tables in DynamoDB', () => createTemplateTables(services.dynamodb.client, resolvers.flatMap(readTables)));

    // Owned before it unpacks: a step past its time limit still removes what was unpacked.
    const code = new CodeFolders();
    lifecycle.own('functions', async () => code.remove());
    await lifecycle.step('unpack the functions\' .zip code and layers', async () => {
      for (const stack of stacks) await code.unpack(stack);
    });

    // The API ports speak TLS too, so that a handler's `https://${domainName}` reaches them.
    const tls = await lifecycle.step('make the API ports\' certificate authority', async () => {
      const made = await createLocalTls();
      lifecycle.own('services', () => made.remove());
      return made;
    });
    const serverSettings = { clock: options.clock, log, tls: tls.secureContext };
    const http = read.flatMap(({ resolver, apis: own }) => httpApiServers(own, { ...serverSettings, env: resolver.env }, report));
    const webSocket = read.flatMap(({ resolver, apis: own }) => webSocketApiServers(readWebSocketApis(resolver, own), {
      ...serverSettings, env: resolver.env, idleTimeoutMs: options.wsIdleTimeoutMs, maxLifetimeMs: options.wsMaxLifetimeMs,
    }, report));
    const servings = [...http, ...webSocket];
    servings.forEach(({ server }) => lifecycle.own('servers', () => server.close()));
    const ports = await lifecycle.step('listen on the APIs\' ports', () => listenInTurn(servings.map((s) => s.server), options.port ?? 3000));
    // From here to the end no step awaits: the routes are in place before any request is read.
    // Ports are known: execute-api URLs of the app's APIs now resolve to loopback ones.
    const portById = new Map(servings.map((s, i) => [s.api.id, ports[i]]));
    resolvers.forEach((resolver) => resolver.rewriteStrings((value) => rewriteExecuteApiUrls(value, portById)));

    const functions = stacks.flatMap((stack, i) => code.place(readFunctions(stack, resolvers[i])));
    const stateMachines = resolvers.flatMap(readStateMachines);
    const { pool, stepFunctions } = runFunctions(lifecycle, services, functions, stateMachines, {
      region: env.region,
      account: env.account,
      maxConcurrency: options.maxConcurrency,
      initLimitMs: options.initLimitMs,
      trustedCaFile: tls.caFile,
      log,
    });
    if (!MEMORY_MEASURABLE && functions.some((f) => !f.notEmulated)) {
      report.warnOnce('functions:memory', `MemorySize is not enforced: the runner measures an environment's memory only on Linux (this is ${process.platform})`);
    }
    if (!options.jwks && apis.some((a) => a.routes.some((r) => r.authorizationType === 'JWT'))) {
      report.warnOnce('jwks', 'JWT authorizers check issuer, audience, expiry and scopes, but not signatures: give --jwks FILE (the issuer\'s JWKS) to verify them');
    }
    serveHttpRoutes(http, {
      functions,
      pool,
      stepFunctions,
      targets: options.targets ?? {},
      jwks: options.jwks,
      region: env.region,
      accountId: env.account,
      clock: options.clock,
      authorizerLimitMs: options.authorizerLimitMs,
      log,
      report,
    });
    serveWebSocketRoutes(webSocket, {
      functions,
      pool,
      region: env.region,
      serviceEndpoints: { dynamodb: services.dynamodb.endpoint },
      accountId: env.account,
      clock: options.clock,
      report,
      log,
    });
    reportUnrunnable(report, functions, stateMachines, stepFunctions);

    return {
      stack: stacks[0],
      stacks,
      region: env.region,
      apis: http.map((s) => servedHttpApi(s, portById.get(s.api.id)!)),
      webSocketApis: webSocket.map((s) => servedWebSocketApi(s, portById.get(s.api.id)!)),
      tables,
      dynamoDbEndpoint: services.dynamodb.endpoint,
      functions,
      stateMachines,
      stepFunctionsEndpoint: services.sfnEndpoint.endpoint,
      stepFunctions,
      caFile: tls.caFile,
      notEmulated: report.notEmulatedList,
      unresolved: resolvers.flatMap((r) => r.unresolved),
      warnings: report.warnings,
      pool,
      stop: () => lifecycle.stop(),
    };
  } catch (error) {
    await lifecycle.stop();
    throw error;
  }
}

/** CloudFormation refuses a second export of one name in a region; the runner takes the first stack's and says so. */
function warnDuplicateExports(resolvers: TemplateResolver[], report: StartupReport): void {
  const seen = new Map<string, string>();
  for (const resolver of resolvers) {
    const stack = resolver.stackOf().displayName;
    for (const name of resolver.exportNames().keys()) {
      const first = seen.get(name);
      if (first === undefined) seen.set(name, stack);
      else report.warnOnce(`export:${name}`, `stacks ${first} and ${stack} both export ${name}; imports get ${first}'s (CloudFormation would refuse the second)`);
    }
  }
}

/** What another of the served stacks exports under `name`. */
function exportedBy(resolvers: TemplateResolver[], importer: AssemblyStack, name: string): unknown {
  for (const resolver of resolvers) {
    if (resolver.stackOf() === importer) continue;
    const value = resolver.exportedValue(name);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** The embedded services functions call: dynalite, the Step Functions endpoint, the catch-all. */
interface EmbeddedServices {
  readonly dynamodb: LocalDynamoDb;
  readonly sfnEndpoint: SfnEndpoint;
  readonly elsewhere: UnemulatedEndpoint;
}

/** Starts each embedded service as a step of its own, owned by the lifecycle as soon as it runs. */
async function startServices(lifecycle: Lifecycle, options: ServeOptions, log: (line: string) => void): Promise<EmbeddedServices> {
  const started = async <T extends { stop(): Promise<void> }>(step: string, start: () => Promise<T>): Promise<T> => lifecycle.step(step, async () => {
    const service = await start();
    lifecycle.own('services', () => service.stop());
    return service;
  });
  const persistDir = options.persistDir === undefined ? undefined
    : await lifecycle.step('check the --persist folder', () => preparePersistDir(options.persistDir!));
  const unemulated = (what: string) => log(`a function called ${what}, which the runner does not emulate: answered 501 NotEmulated`);
  return {
    dynamodb: await started('start DynamoDB (dynalite)', () => startDynamoDb({ persistDir })),
    elsewhere: await started('start the endpoint of services not emulated', () => startUnemulatedEndpoint((call) => unemulated(`${call.service} (${call.operation})`))),
    sfnEndpoint: await started('start the Step Functions endpoint', () => startSfnEndpoint((target) => unemulated(`states (${target})`))),
  };
}

/** What the execution environments and the state machines need to know. */
interface FunctionSettings {
  readonly region: string;
  readonly account: string;
  readonly maxConcurrency?: number;
  readonly initLimitMs?: number;
  readonly trustedCaFile: string;
  readonly log: (line: string) => void;
}

/** The services the runner embeds, as `AWS_ENDPOINT_URL_<SERVICE>` names them. */
const DYNAMODB = 'DYNAMODB';
const SFN = 'SFN';

/**
 * The function pool, and the state machines whose Lambda tasks run in
 * them; the Step Functions endpoint starts answering once both exist.
 */
function runFunctions(
  lifecycle: Lifecycle, services: EmbeddedServices, functions: FunctionModel[], machines: StateMachineModel[], settings: FunctionSettings,
) {
  const pool = new FunctionPool(functions, {
    region: settings.region,
    // AWS_ENDPOINT_URL (no service suffix) catches every other service, so nothing reaches AWS.
    endpoints: { [DYNAMODB]: services.dynamodb.endpoint, [SFN]: services.sfnEndpoint.endpoint },
    fallbackEndpoint: services.elsewhere.endpoint,
    maxConcurrency: settings.maxConcurrency,
    initLimitMs: settings.initLimitMs,
    trustedCaFile: settings.trustedCaFile,
    log: settings.log,
  });
  lifecycle.own('functions', () => pool.stop());
  const stepFunctions = new StepFunctionsService(machines, {
    region: settings.region,
    account: settings.account,
    functions: { resolve: (nameOrArn) => localFunctionArn(functions, nameOrArn), invoke: (arn, event) => pool.invoke(arn, event) },
    log: settings.log,
  });
  lifecycle.own('executions', () => stepFunctions.stop());
  services.sfnEndpoint.serve(stepFunctions);
  return { pool, stepFunctions };
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
  // A name, `name:qualifier`, a partial ARN (`123456789012:function:name`) or an ARN, as Lambda's Invoke takes FunctionName.
  const [, name, qualifier] = /(?:^|:)function:([^:]+)(?::([^:]+))?$/.exec(nameOrArn) ?? /^([^:]+)(?::([^:]+))?$/.exec(nameOrArn) ?? [];
  const fn = functions.find((f) => f.name === name && (!nameOrArn.startsWith('arn:') || unqualifiedArn(nameOrArn) === f.arn));
  if (!fn || fn.notEmulated || !fn.code) return undefined;
  // A qualifier the function has is kept: the pool runs that version.
  if (!qualifier || qualifier === '$LATEST') return fn.arn;
  return fn.qualifiers?.[qualifier] === undefined ? undefined : `${fn.arn}:${qualifier}`;
}
