import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthMessages } from '@apigw-blueprints/local';

/** Runs bin/app.ts the way cdk.json does (transpile-only), into a scratch folder; cdk-nag runs inside it. */
function synth(context: Record<string, string> = {}): { template: any; outdir: string } {
  const outdir = mkdtempSync(join(tmpdir(), 'websocket-chat-app-'));
  const run = spawnSync('npx', ['ts-node', '-T', '--prefer-ts-exts', 'bin/app.ts'], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_DEFAULT_REGION: 'eu-west-1', CDK_DEFAULT_ACCOUNT: '', CDK_CONTEXT_JSON: JSON.stringify(context) },
    encoding: 'utf8',
  });
  // stderr rides along so a failure (a cdk-nag finding among them) shows why.
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
  expect(run.stderr).not.toContain('cdk-nag');
  return { outdir, template: JSON.parse(readFileSync(join(outdir, 'WebSocketChat.template.json'), 'utf8')) };
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
