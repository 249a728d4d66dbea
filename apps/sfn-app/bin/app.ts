#!/usr/bin/env node
import { SfnApiStack } from '@apigw-blueprints/sfn-api';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

// A region but no account: nothing needs a context lookup, so synth works offline.
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
// The dashboard is off by default in the construct (billed per month); the sample shows it.
const stack = new SfnApiStack(app, 'SfnApi', { env: { region }, sfnApi: { executionStatusRoute: true, dashboard: true } });

// cdk-nag (AwsSolutions) on every synth. aws-cdk-lib 2.257 hands validation
// plugins no construct tree, so the pack runs on the stack here; a finding
// the construct has not acknowledged stops the synth.
const report = new AwsSolutionsChecks().validateScope(stack);
if (!report.success) {
  for (const v of report.violations) console.error(`${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  throw new Error(`cdk-nag: ${report.violations.length} AwsSolutions finding(s) in ${stack.stackName}`);
}
app.synth();
