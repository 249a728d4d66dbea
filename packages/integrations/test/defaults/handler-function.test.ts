import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duration, Errors, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HandlerFunction, HandlerFunctionOptions } from '../../src';
import { newStack, propertiesOf } from '../helpers';

/** A folder holding a bundled handler, as a build writes one. */
function bundledHandler(file = 'index.js'): string {
  const dir = mkdtempSync(join(tmpdir(), 'handler-'));
  writeFileSync(join(dir, file), 'exports.handler = async () => ({ statusCode: 200 });');
  return dir;
}

test.each(['index.mjs', 'index.cjs'])('a folder with %s is accepted', (file) => {
  expect(() => new HandlerFunction(newStack(), 'Hello', { codeDirectory: bundledHandler(file) })).not.toThrow();
});

test('a folder without index.js (say, the source folder) fails at synth, naming codeDirectory and the fix', () => {
  const stack = newStack();
  let error: any;
  try {
    new HandlerFunction(stack, 'Hello', { codeDirectory: __dirname });
  } catch (e) {
    error = e;
  }
  expect(Errors.isValidationError(error)).toBe(true);
  expect(error.message).toBe(`[HandlerFunction] codeDirectory: ${__dirname} has no index.js, index.mjs or index.cjs, so Lambda could not load index.handler. `
    + 'Fix: point it at the folder your bundler writes the handler to (e.g. esbuild --bundle --outfile=<folder>/index.js). (at Test/Hello)');
});

test('the newest Node.js runtime of the aws-cdk-lib in use, on arm64, with X-Ray, its own log group, and a role that may write to that log group only', () => {
  const stack = newStack();
  const fn = new HandlerFunction(stack, 'Hello', { codeDirectory: bundledHandler(), environment: { GREETING: 'hi' }, description: 'says hi' });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: HandlerFunction.RUNTIME.name,
    Architectures: ['arm64'],
    MemorySize: 256,
    Timeout: 10,
    Handler: 'index.handler',
    TracingConfig: { Mode: 'Active' },
    Environment: { Variables: { GREETING: 'hi', NODE_OPTIONS: '--enable-source-maps' } },
    LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO' },
  });
  expect(propertiesOf(stack, 'AWS::Lambda::Function')[0].ReservedConcurrentExecutions).toBeUndefined();
  template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  const [role] = Object.values(template.findResources('AWS::IAM::Role')) as any[];
  expect(role.Properties.ManagedPolicyArns).toBeUndefined();
  expect(role.Properties.Description).toBe('says hi');
  const statements = (Object.values(template.findResources('AWS::IAM::Policy'))[0] as any).Properties.PolicyDocument.Statement;
  expect(statements.map((s: any) => s.Action)).toEqual([
    ['logs:CreateLogStream', 'logs:PutLogEvents'],
    ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  ]);
  expect(statements[0].Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^HelloLogs/), 'Arn'] });
  const acks = fn.role.node.findChild('DefaultPolicy').node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  // aws-cdk-lib >= 2.262 stores the id as `Annotation::<id>`; cdk-nag matches either form.
  expect(Object.keys(acks[0].data as object).map((id) => id.replace(/^annotation::/i, ''))).toEqual(['AwsSolutions-IAM5[Resource::*]']);
});

describe('options', () => {
  const make = (options: HandlerFunctionOptions, extra: { maxTimeout?: Duration; environment?: Record<string, string> } = {}) => {
    const stack = newStack();
    new HandlerFunction(stack, 'Fn', { codeDirectory: bundledHandler(), environment: { TABLE_NAME: 't', ...extra.environment }, maxTimeout: extra.maxTimeout, options });
    return propertiesOf(stack, 'AWS::Lambda::Function')[0];
  };

  test('memory, timeout, reserved concurrency, more environment and the log level reach the function', () => {
    expect(make({
      memorySize: 1024,
      timeout: Duration.seconds(30),
      reservedConcurrentExecutions: 5,
      environment: { FEATURE: 'on' },
      applicationLogLevel: lambda.ApplicationLogLevel.DEBUG,
    })).toMatchObject({
      MemorySize: 1024,
      Timeout: 30,
      ReservedConcurrentExecutions: 5,
      Environment: { Variables: { TABLE_NAME: 't', FEATURE: 'on', NODE_OPTIONS: '--enable-source-maps' } },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG' },
    });
    expect(make({ reservedConcurrentExecutions: 0 }).ReservedConcurrentExecutions).toBe(0);
    // A name that only an Object.prototype member has is not one of the function's own.
    expect(make({ environment: { constructor: 'x' } }).Environment.Variables.constructor).toBe('x');
  });

  const invalid: [string, HandlerFunctionOptions, { maxTimeout?: Duration }, RegExp][] = [
    ['memory under 128 MB', { memorySize: 64 }, {}, /memorySize: 64 MB is not a whole number from 128 to 10240/],
    ['memory over 10,240 MB', { memorySize: 10_241 }, {}, /memorySize: 10241 MB/],
    ['a timeout under a second', { timeout: Duration.seconds(0) }, {}, /timeout: 0 seconds? is outside 1 second to 30 seconds/],
    ['a timeout over the HTTP API limit', { timeout: Duration.seconds(31) }, {}, /timeout: 31 seconds is outside 1 second to 30 seconds, the most the API waits/],
    ['a timeout over a WebSocket limit', { timeout: Duration.seconds(30) }, { maxTimeout: Duration.seconds(29) },
      /timeout: 30 seconds is outside 1 second to 29 seconds.*Fix: pass a Duration from Duration\.seconds\(1\) to Duration\.seconds\(29\)/],
    ['a timeout in part seconds', { timeout: Duration.millis(1500) }, {}, /timeout: 1 second 500 millis is not a whole number of seconds/],
    ['a variable name Lambda refuses', { environment: { 'my-flag': 'on' } }, {}, /environment: 'my-flag' is not a name Lambda accepts/],
    ['a negative reserved concurrency', { reservedConcurrentExecutions: -1 }, {}, /reservedConcurrentExecutions: -1 is not a whole number >= 0/],
    ['a variable Lambda reserves', { environment: { AWS_REGION: 'eu-west-1' } }, {}, /environment: AWS_REGION is set by Lambda itself and cannot be configured/],
    ['NODE_OPTIONS', { environment: { NODE_OPTIONS: '--inspect' } }, {}, /environment: NODE_OPTIONS is set by the pattern for its handler/],
    ["a variable the handler's own", { environment: { TABLE_NAME: 'other' } }, {}, /environment: TABLE_NAME is set by the pattern for its handler\. Fix: use another name than TABLE_NAME\. \(at Test\/Fn\)/],
  ];
  test.each(invalid)('%s fails at synth as HandlerOptionInvalid, naming the prop', (_name, options, extra, message) => {
    let error: any;
    try {
      make(options, extra);
    } catch (e) {
      error = e;
    }
    expect(error?.code).toBe('HandlerOptionInvalid');
    expect(error.message).toMatch(/^\[HandlerFunction\] options\./);
    expect(error.message).toMatch(message);
  });
});

describe('runtime', () => {
  test('HandlerFunction.RUNTIME is the newest nodejs<N>.x that aws-cdk-lib lists (what cdk-nag\'s AwsSolutions-L1 asks for), at least Node.js 24', () => {
    const majors = lambda.Runtime.ALL.map((r) => /^nodejs(\d+)\.x$/.exec(r.name)?.[1]).filter((m): m is string => m !== undefined).map(Number);
    expect(HandlerFunction.RUNTIME.name).toBe(`nodejs${Math.max(...majors)}.x`);
    expect(Math.max(...majors)).toBeGreaterThanOrEqual(24);
  });

  test('options.runtime pins one', () => {
    const stack = newStack();
    new HandlerFunction(stack, 'Hello', { codeDirectory: bundledHandler(), options: { runtime: lambda.Runtime.NODEJS_24_X } });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x' });
  });

  test.each([
    ['an older Node.js than the bundles\' target', lambda.Runtime.NODEJS_22_X, 'nodejs22.x'],
    ['another language', lambda.Runtime.PYTHON_3_12, 'python3.12'],
  ])('%s fails at synth, naming the prop and the fix', (_, runtime, name) => {
    expect(() => new HandlerFunction(newStack(), 'Hello', { codeDirectory: bundledHandler(), options: { runtime } }))
      .toThrow(`[HandlerFunction] options.runtime: ${name} is not Node.js 24 or newer, which the handlers are bundled for. `
        + 'Fix: pass lambda.Runtime.NODEJS_24_X or a newer Node.js runtime, or leave it out for the newest. (at Test/Hello)');
  });
});
