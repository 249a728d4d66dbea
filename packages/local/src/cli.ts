#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { readAssembly } from './assembly/cloud-assembly';
import { sourceKind } from './assembly/synthesize';
import { banner, readExamples } from './banner';
import { parseTargets, readJwks } from './cli-options';
import { formatSummary, summarise } from './describe';
import { serveStack, UsageError } from './runner';

const USAGE = [
  'usage: apigw-local serve <app-dir|cdk.out> [--port N] [--stack NAME] [--persist DIR] [--max-workers N]',
  '                         [--target URL | --target <IntegrationLogicalId>=URL ...] [--jwks FILE]',
  '                         [--ws-idle-timeout SECONDS] [--ws-max-lifetime SECONDS]',
  '       apigw-local describe <cdk.out>',
].join('\n');

function wholeNumber(value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`${flag} ${value}: give a whole number from ${min} to ${max}`);
  return n;
}

function seconds(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value * 1000;
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'port': { type: 'string' },
      'stack': { type: 'string' },
      'persist': { type: 'string' },
      'max-workers': { type: 'string' },
      'target': { type: 'string', multiple: true },
      'jwks': { type: 'string' },
      'ws-idle-timeout': { type: 'string' },
      'ws-max-lifetime': { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError(`serve takes one folder (a CDK app or a cdk.out)\n${USAGE}`);
  const source = positionals[0];
  const running = await serveStack({
    source,
    stack: values.stack,
    // 0: any free port (tests use it).
    port: wholeNumber(values.port, '--port', 0, 65535),
    persistDir: values.persist,
    maxWorkers: wholeNumber(values['max-workers'], '--max-workers', 1, 64),
    targets: parseTargets(values.target ?? []),
    jwks: values.jwks === undefined ? undefined : readJwks(values.jwks),
    wsIdleTimeoutMs: seconds(wholeNumber(values['ws-idle-timeout'], '--ws-idle-timeout', 1, 600)),
    wsMaxLifetimeMs: seconds(wholeNumber(values['ws-max-lifetime'], '--ws-max-lifetime', 1, 7200)),
  });
  console.log(banner(running, sourceKind(source) === 'app' ? readExamples(source) : {}, values.persist));
  await new Promise<void>((resolve) => {
    const shutdown = () => {
      console.log('stopping: workers, servers, DynamoDB');
      void running.stop().then(resolve);
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  return 0;
}

function describe(args: string[]): number {
  if (args.length !== 1) throw new UsageError(`describe takes one cdk.out folder\n${USAGE}`);
  const stacks = readAssembly(args[0]);
  if (stacks.length === 0) throw new UsageError(`${args[0]}: the cloud assembly holds no stacks`);
  console.log(stacks.map((s) => formatSummary(summarise(s))).join('\n\n'));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === 'serve') return await serve(rest);
    if (command === 'describe') return describe(rest);
    throw new UsageError(USAGE);
  } catch (error) {
    // Mistakes in the command line or the folder: one line that says what and how to fix.
    const known = error instanceof UsageError || (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
      || /manifest\.json/.test((error as Error).message);
    if (known) {
      console.error(`apigw-local: ${(error as Error).message}`);
      return 2;
    }
    // A fault of the runner's own: one line, the stack only on request.
    console.error(`apigw-local: internal error: ${(error as Error).message}${process.env.APIGW_LOCAL_DEBUG ? `\n${(error as Error).stack}` : ' (APIGW_LOCAL_DEBUG=1 shows where)'}`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
