import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile } from './assembly/json-file';
import { RUNNER_SIGNING_KEY } from './functions/lambda-environment';
import { RunningStack, ServedApi, ServedWebSocketApi } from './runner/serve-options';

/** Example requests an app ships for the banner: `apigw-local.json` next to its cdk.json. */
export interface ExampleRequests {
  /** By route key: the JSON body to show in that route's curl line. */
  readonly bodies?: Record<string, unknown>;
  /** By path parameter name: the shell text to put in its place (e.g. `$ID`). */
  readonly pathParameters?: Record<string, string>;
  /** By route key: the query string to send (e.g. `executionArn=$ARN`). */
  readonly queryStrings?: Record<string, string>;
  /** WebSocket messages to paste into the client, in order. */
  readonly frames?: unknown[];
  /** Lines printed after the routes (how to fill the variables above). */
  readonly notes?: string[];
}

/** The examples file of an app folder, if it has one; a malformed one is a UsageError naming it and where. */
export function readExamples(dir: string): ExampleRequests {
  const file = join(dir, 'apigw-local.json');
  return existsSync(file) ? readJsonFile(file, 'fix the JSON or delete the file (it only fills the curl lines printed at startup)') : {};
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** A ready-to-paste curl line for a route of a served API. */
export function curlFor(baseUrl: string, routeKey: string, examples: ExampleRequests): string {
  if (routeKey === '$default') return `curl -i "${baseUrl}/any/path"`;
  const [method, path] = routeKey.split(/\s+/);
  // A `{param}` becomes a shell variable to set (or the app's example); a greedy `{proxy+}` any path.
  const filled = path
    .replace(/\{([^}]+)\+\}/g, (_m, name: string) => examples.pathParameters?.[name] ?? 'any/path')
    .replace(/\{([^}]+)\}/g, (_m, name: string) => examples.pathParameters?.[name] ?? `$${name.toUpperCase()}`);
  const verb = method === 'ANY' ? 'GET' : method;
  const parts = ['curl', '-i'];
  if (verb !== 'GET') parts.push('-X', verb);
  const query = examples.queryStrings?.[routeKey];
  parts.push(`"${baseUrl}${filled}${query ? `?${query}` : ''}"`);
  if (BODY_METHODS.has(verb)) {
    const body = JSON.stringify(examples.bodies?.[routeKey] ?? {});
    parts.push('-H', "'content-type: application/json'", '-d', `'${body.replace(/'/g, "'\\''")}'`);
  }
  return parts.join(' ');
}

function apiLines(api: ServedApi, examples: ExampleRequests, region: string): string[] {
  const lines: string[] = [];
  // curl signs AWS_IAM requests itself, with the only key pair the runner accepts.
  const signing = ` --aws-sigv4 "aws:amz:${region}:execute-api" --user ${RUNNER_SIGNING_KEY.accessKeyId}:${RUNNER_SIGNING_KEY.secretAccessKey}`;
  for (const [stage, url] of Object.entries(api.stageUrls)) {
    lines.push(`HTTP API ${api.name} (id ${api.id}), stage ${stage}: ${url}`);
    // In the template's order, which is the order the app added them (POST /books before /books/{id}).
    for (const routeKey of api.routeKeys) {
      lines.push(`  ${routeKey}`, `    ${curlFor(url, routeKey, examples)}${api.signedRouteKeys.includes(routeKey) ? signing : ''}`);
    }
  }
  return lines;
}

function webSocketLines(api: ServedWebSocketApi, examples: ExampleRequests): string[] {
  const lines: string[] = [];
  for (const [stage, url] of Object.entries(api.stageUrls)) {
    lines.push(`WebSocket API ${api.name} (id ${api.id}), stage ${stage}: ${url}`);
    lines.push(`  routes: ${api.routeKeys.join(', ')}`);
    lines.push(`  connect: npx wscat -c ${url}`);
    // `@connections` of the stage, as handlers reach it through their CALLBACK_URL.
    lines.push(`  @connections: ${url.replace(/^ws:/, 'http:')}/@connections/{connectionId}`);
    const frames = examples.frames ?? [];
    if (frames.length) lines.push('  then send:', ...frames.map((f) => `    ${typeof f === 'string' ? f : JSON.stringify(f)}`));
  }
  return lines;
}

/** What the runner prints once it is ready: where everything is, and what it cannot do. */
export function banner(running: RunningStack, examples: ExampleRequests, persistDir?: string): string {
  const lines = [`Serving stack ${running.stack.displayName} (${running.stack.environment}) on 127.0.0.1; no AWS account is used.`];
  if (running.apis.length || running.webSocketApis.length) {
    // Handlers build `https://${domainName}` links and @connections endpoints; the ports answer them with this run's own CA.
    lines.push(`HTTPS and WSS on the same ports, signed by this run's certificate authority ${running.caFile}`
      + ` (the functions trust it; curl --cacert ${running.caFile}, wscat --ca ${running.caFile})`);
  }
  lines.push(`DynamoDB (dynalite, ${persistDir ? `kept in ${persistDir}` : 'in memory'}): ${running.dynamoDbEndpoint}`);
  for (const { table, outcome } of running.tables) {
    const ttl = table.ttlAttribute ? `; TTL on '${table.ttlAttribute}' recorded, but dynalite does not expire items` : '';
    lines.push(`  table ${table.name} (${table.logicalId}, ${outcome}${ttl})`);
  }
  const machines = running.stateMachines.filter((m) => running.stepFunctions.has(m.arn));
  if (machines.length) {
    lines.push(`Step Functions (aws-local-stepfunctions): ${running.stepFunctionsEndpoint}`);
    lines.push(...machines.map((m) => `  state machine ${m.name} (${m.logicalId}, ${m.type})`));
  }
  for (const api of running.apis) lines.push(...apiLines(api, examples, running.region));
  for (const api of running.webSocketApis) lines.push(...webSocketLines(api, examples));
  lines.push(...(examples.notes ?? []));
  if (running.notEmulated.length) {
    lines.push('Not emulated (HTTP requests that need it get 501; a WebSocket route fails as a failing integration does):');
    lines.push(...running.notEmulated.map((n) => `  ${n.what}: ${n.where}`));
  }
  if (running.unresolved.length) {
    lines.push('Unresolved template values (left out, not replaced):');
    lines.push(...running.unresolved.map((u) => `  ${u.where}: ${u.why}`));
  }
  lines.push(...running.warnings.map((w) => `warning: ${w}`));
  lines.push('Ready. Ctrl-C stops.');
  return lines.join('\n');
}
