import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthMessages } from '@apigw-blueprints/local';

/**
 * Runs bin/app.ts the way cdk.json does (transpile-only), into a scratch
 * folder, with test/nag-spy.cjs preloaded to record the app's cdk-nag runs.
 */
function run(context: Record<string, string> = {}, env: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'websocket-chat-app-'));
  const spyFile = join(outdir, 'nag-spy.jsonl');
  const result = spawnSync('npx', ['ts-node', '-T', '-r', './test/nag-spy.cjs', '--prefer-ts-exts', 'bin/app.ts'], {
    cwd: join(__dirname, '..'),
    env: {
      ...process.env,
      CDK_OUTDIR: outdir,
      CDK_DEFAULT_REGION: 'eu-west-1',
      CDK_DEFAULT_ACCOUNT: '',
      CDK_CONTEXT_JSON: JSON.stringify(context),
      NAG_SPY_FILE: spyFile,
      ...env,
    },
    encoding: 'utf8',
  });
  const nagRuns = () => readFileSync(spyFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  return { status: result.status, stderr: result.stderr, outdir, nagRuns };
}

function synth(context: Record<string, string> = {}) {
  const result = run(context);
  // stderr rides along so a failure (a cdk-nag finding among them) shows why.
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
  // cdk-nag ran once, on the stack, and passed.
  expect(result.nagRuns()).toEqual([{ scope: 'WebSocketChat', success: true }]);
  return { outdir: result.outdir, template: JSON.parse(readFileSync(join(result.outdir, 'WebSocketChat.template.json'), 'utf8')) };
}

const ofType = (template: any, type: string) => Object.values<any>(template.Resources).filter((r) => r.Type === type);

test('the app synthesizes WebSocketChat offline, with a region and no account, cdk-nag passing', () => {
  const { outdir, template } = synth();
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.artifacts.WebSocketChat).toMatchObject({ type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/eu-west-1' });
  // What `cdk synth --strict` would fail on: no construct warned or errored.
  expect(synthMessages(outdir)).toEqual([]);
  expect(ofType(template, 'AWS::ApiGatewayV2::Route').length).toBeGreaterThan(0);
  expect(ofType(template, 'AWS::ApiGateway::Account')).toEqual([]);
});

test('-c createCloudWatchRole=true adds the account logging role, cdk-nag still passing', () => {
  const { outdir, template } = synth({ createCloudWatchRole: 'true' });
  expect(synthMessages(outdir)).toEqual([]);
  expect(ofType(template, 'AWS::ApiGateway::Account')).toHaveLength(1);
  const roles = ofType(template, 'AWS::IAM::Role').filter((r) => JSON.stringify(r.Properties.ManagedPolicyArns ?? []).includes('AmazonAPIGatewayPushToCloudWatchLogs'));
  expect(roles).toHaveLength(1);
});

test('a cdk-nag finding stops the synth, naming the rule and the construct', () => {
  const result = run({}, { NAG_SPY_ADD_FINDING: '1' });
  expect(result.status).not.toBe(0);
  expect(result.nagRuns()).toEqual([{ scope: 'WebSocketChat', success: false }]);
  expect(result.stderr).toMatch(/AwsSolutions-S1: WebSocketChat\/BucketWithFindings/);
  expect(result.stderr).toMatch(/cdk-nag: \d+ AwsSolutions finding\(s\) in WebSocketChat/);
  // Nothing was written for the stack.
  expect(() => readFileSync(join(result.outdir, 'WebSocketChat.template.json'))).toThrow(/ENOENT/);
});
