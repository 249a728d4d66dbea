import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Errors, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { HandlerFunction } from '../../src';
import { newStack } from '../helpers';

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

test('Node.js 24 on arm64 with X-Ray, its own log group, and a role that may write to that log group only', () => {
  const stack = newStack();
  const fn = new HandlerFunction(stack, 'Hello', { codeDirectory: bundledHandler(), environment: { GREETING: 'hi' }, description: 'says hi' });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::Lambda::Function', {
    Runtime: 'nodejs24.x',
    Architectures: ['arm64'],
    MemorySize: 256,
    Timeout: 10,
    Handler: 'index.handler',
    TracingConfig: { Mode: 'Active' },
    Environment: { Variables: { GREETING: 'hi', NODE_OPTIONS: '--enable-source-maps' } },
  });
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
