import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthMessages } from '@apigw-blueprints/local';

// Runs bin/app.ts the way cdk.json does (transpile-only), into a scratch folder.
test('the app synthesizes PrivateAlbApi offline, with a region and no account', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'private-alb-app-'));
  const run = spawnSync('npx', ['ts-node', '-T', '--prefer-ts-exts', 'bin/app.ts'], {
    cwd: join(__dirname, '..'),
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_DEFAULT_REGION: 'eu-west-1', CDK_DEFAULT_ACCOUNT: '' },
    encoding: 'utf8',
  });
  // stderr rides along so a failure shows why.
  expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  expect(manifest.artifacts.PrivateAlbApi).toMatchObject({ type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/eu-west-1' });
  // What `cdk synth --strict` would fail on: no construct warned or errored.
  expect(synthMessages(outdir)).toEqual([]);
  const template = JSON.parse(readFileSync(join(outdir, 'PrivateAlbApi.template.json'), 'utf8'));
  const routes = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Route');
  expect(routes.length).toBeGreaterThan(0);
});
