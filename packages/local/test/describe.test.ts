import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import { CfnApi, CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { tempDir } from './temp-dirs';
import { readAssembly } from '../src/assembly/cloud-assembly';
import { formatSummary, summarise } from '../src/describe';

function synthFixture(): string {
  const outdir = tempDir();
  const app = new App({ outdir });
  const stack = new Stack(app, 'Fixture', { env: { region: 'eu-west-1' } });
  const api = new CfnApi(stack, 'Api', { name: 'fixture', protocolType: 'HTTP' });
  new CfnRoute(stack, 'Post', { apiId: api.ref, routeKey: 'POST /books' });
  new CfnRoute(stack, 'Get', { apiId: api.ref, routeKey: 'GET /books' });
  new CfnOutput(stack, 'ApiUrl', { value: api.attrApiEndpoint });
  app.synth();
  return outdir;
}

test('summarises the stacks, routes and outputs of a synthesized assembly', () => {
  const stacks = readAssembly(synthFixture());
  expect(stacks.map((s) => s.displayName)).toEqual(['Fixture']);

  const summary = summarise(stacks[0]);
  expect(summary.resourceCounts).toEqual({ 'AWS::ApiGatewayV2::Api': 1, 'AWS::ApiGatewayV2::Route': 2 });
  expect(summary.routes).toEqual(['GET /books', 'POST /books']);
  expect(summary.outputs).toEqual(['ApiUrl']);
  expect(summary.environment).toBe('aws://unknown-account/eu-west-1');

  const text = formatSummary(summary);
  expect(text).toContain('3 resources:');
  expect(text).toContain('    GET /books\n    POST /books');
});

test('a folder without a manifest is an error, not an empty result', () => {
  expect(() => readAssembly(tempDir())).toThrow(/manifest\.json/);
});
