import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HandlerFunctionOptions } from './handler-function-options';
import { defaultPolicyOf } from '../private/children';
import { configError } from '../private/errors';
import { resolveHandlerOptions } from '../private/handler-options';
import { acknowledgeNagRule } from '../private/nag';
import { NEWEST_NODE_RUNTIME } from '../private/newest-node-runtime';

/**
 * Properties of a HandlerFunction.
 */
export interface HandlerFunctionProps {
  /**
   * A folder with a pre-bundled `index.js` (or `index.mjs` / `index.cjs`)
   * exporting `handler`: the whole folder becomes the function's code. A folder
   * without one is a synth-time error (Lambda would fail every invocation with
   * `Runtime.ImportModuleError`).
   */
  readonly codeDirectory: string;
  /**
   * Environment variables of the function.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * What the function may do, for its role's description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Retention of the function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Memory, timeout, reserved concurrency, more environment variables and
   * the application log level (a pattern passes its `functions` prop here).
   * @default - 256 MB, 10 seconds, no reserved concurrency, log level INFO
   */
  readonly options?: HandlerFunctionOptions;
  /**
   * The longest `options.timeout` allowed: what the API waits for the integration this function serves.
   * @default Duration.seconds(30) - an HTTP API's integration limit (use 29 seconds behind a WebSocket API)
   */
  readonly maxTimeout?: Duration;
  /**
   * The pattern class whose `functions` prop `options` come from: an invalid
   * option is then reported as `[<owner>] functions.<option>`, the prop its
   * user set.
   * @default - reported as `[HandlerFunction] options.<option>`
   */
  readonly optionsOwner?: string;
}

/**
 * The Lambda function the patterns put behind a route: the newest Node.js
 * runtime the aws-cdk-lib in use offers, on arm64, with X-Ray, JSON logs to a log
 * group with retention, and a role of its own that may write to that log group only
 * (instead of AWSLambdaBasicExecutionRole's every log group). Grant it what its
 * route needs, and nothing else.
 */
export class HandlerFunction extends Construct {
  /**
   * The runtime of the pattern handlers unless `options.runtime` pins one: the
   * newest Node.js runtime the aws-cdk-lib in use lists (`nodejs24.x` on
   * 2.257, `nodejs26.x` on 2.278), which cdk-nag's AwsSolutions-L1 asks for.
   * The handlers are bundled for Node.js 24 and run on it and any newer one.
   */
  public static readonly RUNTIME: lambda.Runtime = NEWEST_NODE_RUNTIME;

  /** The function. */
  public readonly function: lambda.Function;
  /** Its role. */
  public readonly role: iam.Role;
  /** Its log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    if (!['index.js', 'index.mjs', 'index.cjs'].some((file) => existsSync(join(props.codeDirectory, file)))) {
      configError(this, 'HandlerCodeMissing', 'HandlerFunction', 'codeDirectory',
        `${props.codeDirectory} has no index.js, index.mjs or index.cjs, so Lambda could not load index.handler`,
        'point it at the folder your bundler writes the handler to (e.g. esbuild --bundle --outfile=<folder>/index.js)');
    }
    const options = resolveHandlerOptions(this, props.options ?? {}, { ...props.environment },
      props.maxTimeout ?? Duration.seconds(30), props.optionsOwner);
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new lambda.Function(this, 'Function', {
      runtime: options.runtime,
      architecture: lambda.Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: options.timeout,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(props.codeDirectory),
      environment: { ...options.environment, NODE_OPTIONS: '--enable-source-maps' },
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      // Application log levels filter only JSON-formatted logs; JSON lines are also what Logs Insights queries best.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: options.applicationLogLevel,
      role: this.role,
    });
    // Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords on Resource *.
    acknowledgeNagRule(defaultPolicyOf(this.role), 'AwsSolutions-IAM5',
      'Only xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) use Resource *: X-Ray has no resource-level permissions for them',
      { resource: '*' });
  }
}
