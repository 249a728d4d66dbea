import { Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { configError } from './errors';
import { BUNDLE_NODE_MAJOR, NEWEST_NODE_RUNTIME, nodeMajor } from './newest-node-runtime';
import { HandlerFunctionOptions } from '../defaults/handler-function-options';

// Names Lambda sets in every execution environment and refuses in a function's
// configuration ("Defined runtime environment variables",
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
const LAMBDA_RESERVED = new Set([
  '_HANDLER', '_X_AMZN_TRACE_ID', 'AWS_DEFAULT_REGION', 'AWS_REGION', 'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME', 'AWS_LAMBDA_FUNCTION_MEMORY_SIZE', 'AWS_LAMBDA_FUNCTION_VERSION', 'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME', 'AWS_LAMBDA_LOG_STREAM_NAME', 'AWS_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN', 'AWS_LAMBDA_RUNTIME_API', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR',
]);
// The key pattern of Lambda's Environment.Variables (https://docs.aws.amazon.com/lambda/latest/api/API_Environment.html).
const ENV_NAME = /^[a-zA-Z][a-zA-Z0-9_]+$/;
// Lambda's limits (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html).
const MEMORY_MB = { min: 128, max: 10_240 };
const MIN_TIMEOUT_S = 1;

/** What a HandlerFunction derives from the options, checked. */
export interface ResolvedHandlerOptions {
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly reservedConcurrentExecutions?: number;
  readonly environment: { [name: string]: string };
  readonly applicationLogLevel: lambda.ApplicationLogLevel;
  readonly runtime: lambda.Runtime;
}

/**
 * Checks `options` for the function at `where` and fills in the defaults.
 * `ownEnvironment` is what the handler itself needs and the options may not
 * replace; `maxTimeout` is the API's integration limit; `owner` the pattern
 * whose `functions` prop passed the options.
 */
export function resolveHandlerOptions(
  where: IConstruct,
  options: HandlerFunctionOptions,
  ownEnvironment: { [name: string]: string },
  maxTimeout: Duration,
  owner?: string,
): ResolvedHandlerOptions {
  // A pattern's users set these through its `functions` prop: name that, not HandlerFunction's `options`.
  const fail = (prop: string, problem: string, fix: string): never =>
    configError(where, 'HandlerOptionInvalid', owner ?? 'HandlerFunction', `${owner ? 'functions' : 'options'}.${prop}`, problem, fix);
  const runtime = options.runtime ?? NEWEST_NODE_RUNTIME;
  const major = nodeMajor(runtime);
  if (major === undefined || major < BUNDLE_NODE_MAJOR) {
    fail('runtime', `${runtime.name} is not Node.js ${BUNDLE_NODE_MAJOR} or newer, which the handlers are bundled for`,
      `pass lambda.Runtime.NODEJS_${BUNDLE_NODE_MAJOR}_X or a newer Node.js runtime, or leave it out for the newest`);
  }
  const memorySize = options.memorySize ?? 256;
  if (!Token.isUnresolved(memorySize) && (!Number.isInteger(memorySize) || memorySize < MEMORY_MB.min || memorySize > MEMORY_MB.max)) {
    fail('memorySize', `${memorySize} MB is not a whole number from ${MEMORY_MB.min} to ${MEMORY_MB.max}`, `pass a size Lambda accepts, e.g. ${512}`);
  }
  const timeout = options.timeout ?? Duration.seconds(10);
  if (!timeout.isUnresolved()) {
    const ms = timeout.toMilliseconds();
    if (ms % 1000 !== 0) {
      fail('timeout', `${timeout.toHumanString()} is not a whole number of seconds, which Lambda timeouts are`, 'pass Duration.seconds(n)');
    }
    if (ms < MIN_TIMEOUT_S * 1000 || ms > maxTimeout.toMilliseconds()) {
      fail('timeout', `${timeout.toHumanString()} is outside 1 second to ${maxTimeout.toHumanString()}, the most the API waits for this function`,
        `pass a Duration from Duration.seconds(1) to Duration.seconds(${maxTimeout.toSeconds()}); run longer work asynchronously (e.g. a Step Functions workflow)`);
    }
  }
  const reserved = options.reservedConcurrentExecutions;
  if (reserved !== undefined && !Token.isUnresolved(reserved) && (!Number.isInteger(reserved) || reserved < 0)) {
    fail('reservedConcurrentExecutions', `${reserved} is not a whole number >= 0`, 'pass how many concurrent executions to reserve, or leave it out');
  }
  const extra = options.environment ?? {};
  for (const name of Object.keys(extra)) {
    if (!ENV_NAME.test(name)) {
      fail('environment', `'${name}' is not a name Lambda accepts (a letter, then letters, digits and "_")`, 'rename the variable');
    }
    if (LAMBDA_RESERVED.has(name)) {
      fail('environment', `${name} is set by Lambda itself and cannot be configured`, `use another name than ${name}`);
    }
    if (name === 'NODE_OPTIONS' || Object.prototype.hasOwnProperty.call(ownEnvironment, name)) {
      fail('environment', `${name} is set by the pattern for its handler`, `use another name than ${name}`);
    }
  }
  return {
    memorySize,
    timeout,
    reservedConcurrentExecutions: reserved,
    environment: { ...extra, ...ownEnvironment },
    applicationLogLevel: options.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
    runtime,
  };
}
