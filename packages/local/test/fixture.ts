import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp-dirs';
import { CfnResource, CfnTemplate } from '../src/assembly/cloud-assembly';
import { RunningStack, ServeOptions } from '../src/runner/serve-options';
import { serveStack } from '../src/runner/serve-stack';

/** A Lambda function of a fixture: its handler source (CommonJS) and settings. */
export interface FixtureFunction {
  readonly source: string;
  readonly timeout?: number;
  readonly environment?: Record<string, unknown>;
  /** Any other function properties (LoggingConfig, ...). */
  readonly properties?: Record<string, unknown>;
}

/** A route of a fixture HTTP API, integrated with one of the fixture's functions. */
export interface FixtureRoute {
  readonly routeKey: string;
  readonly fn?: string;
  readonly payloadFormatVersion?: '1.0' | '2.0';
  /** Any other integration properties (an integration type the runner does not emulate, ...). */
  readonly integration?: Record<string, unknown>;
  /** Any other route properties (AuthorizationType, AuthorizerId, ...). */
  readonly route?: Record<string, unknown>;
}

/** A synthetic stack: functions, one HTTP API with routes and stages, anything else as raw resources. */
export interface FixtureStack {
  readonly functions?: Record<string, FixtureFunction>;
  readonly routes?: FixtureRoute[];
  readonly stages?: Array<{ name: string; variables?: Record<string, string>; properties?: Record<string, unknown> }>;
  /** Any other properties of the HTTP API (CorsConfiguration, ...). */
  readonly api?: Record<string, unknown>;
  readonly resources?: Record<string, CfnResource>;
  readonly conditions?: CfnTemplate['Conditions'];
  readonly parameters?: CfnTemplate['Parameters'];
  readonly environment?: string;
  readonly manifestVersion?: string;
}

/**
 * Writes a cloud assembly (manifest.json, one template, one asset folder per
 * function) as `cdk synth` would, and returns its folder.
 */
export function writeAssembly(stack: FixtureStack, stackName = 'Fixture'): string {
  const dir = tempDir('apigw-local-fixture-');
  const resources: Record<string, any> = { ...(stack.resources ?? {}) };
  for (const [id, fn] of Object.entries(stack.functions ?? {})) {
    const asset = `asset.${id.toLowerCase()}`;
    mkdirSync(join(dir, asset));
    writeFileSync(join(dir, asset, 'index.js'), fn.source);
    resources[id] = {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: 'cdk-assets', S3Key: `${id}.zip` },
        Handler: 'index.handler',
        Runtime: 'nodejs24.x',
        Timeout: fn.timeout ?? 3,
        Role: 'arn:aws:iam::111111111111:role/fixture',
        ...(fn.environment ? { Environment: { Variables: fn.environment } } : {}),
        ...fn.properties,
      },
      Metadata: { 'aws:asset:path': asset, 'aws:asset:property': 'Code' },
    };
  }
  if (stack.routes) {
    resources.Api = { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'fixture', ProtocolType: 'HTTP', ...stack.api } };
    for (const [i, stage] of (stack.stages ?? [{ name: '$default' }]).entries()) {
      resources[`Stage${i}`] = {
        Type: 'AWS::ApiGatewayV2::Stage',
        Properties: { ApiId: { Ref: 'Api' }, StageName: stage.name, AutoDeploy: true, StageVariables: stage.variables, ...stage.properties },
      };
    }
    stack.routes.forEach((route, i) => {
      resources[`Integration${i}`] = {
        Type: 'AWS::ApiGatewayV2::Integration',
        Properties: {
          ApiId: { Ref: 'Api' },
          IntegrationType: 'AWS_PROXY',
          PayloadFormatVersion: route.payloadFormatVersion ?? '2.0',
          ...(route.fn ? { IntegrationUri: { 'Fn::GetAtt': [route.fn, 'Arn'] } } : {}),
          ...route.integration,
        },
      };
      resources[`Route${i}`] = {
        Type: 'AWS::ApiGatewayV2::Route',
        Properties: {
          ApiId: { Ref: 'Api' },
          RouteKey: route.routeKey,
          Target: { 'Fn::Join': ['', ['integrations/', { Ref: `Integration${i}` }]] },
          ...route.route,
        },
      };
    });
  }
  const template: CfnTemplate = { Resources: resources, Conditions: stack.conditions, Parameters: stack.parameters };
  writeFileSync(join(dir, `${stackName}.template.json`), JSON.stringify(template, null, 1));
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
    version: stack.manifestVersion ?? '53.0.0',
    artifacts: {
      [stackName]: {
        type: 'aws:cloudformation:stack',
        environment: stack.environment ?? 'aws://111111111111/eu-west-1',
        properties: { templateFile: `${stackName}.template.json` },
        displayName: stackName,
      },
    },
  }));
  return dir;
}

/** A handler that answers with the event it received. */
export const ECHO_HANDLER = 'exports.handler = async (event) => ({ statusCode: 200, body: JSON.stringify(event) });';

/** Writes `stack` as a cloud assembly and serves it on any free port; its output lines go to `lines`. */
export function serveFixture(stack: FixtureStack, lines: string[] = [], options: Partial<ServeOptions> = {}): Promise<RunningStack> {
  return serveStack({ source: writeAssembly(stack), port: 0, log: (line) => lines.push(line), ...options });
}
