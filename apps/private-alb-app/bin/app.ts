#!/usr/bin/env node
import { PrivateAlbApiStack } from '@apigw-blueprints/private-alb-api';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

// A region but no account: nothing needs a context lookup, so synth works offline
// (and ALB access logging needs the concrete region).
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
// The dashboard is off by default in the construct (billed per month); the sample shows it.
const stack = new PrivateAlbApiStack(app, 'PrivateAlbApi', { env: { region }, privateAlbApi: { dashboard: true } });

// cdk-nag (AwsSolutions) on every synth. aws-cdk-lib 2.257 hands validation
// plugins no construct tree, so the pack runs on the stack here.
const report = new AwsSolutionsChecks().validateScope(stack);
if (!report.success) {
  for (const v of report.violations) console.error(`${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  throw new Error(`cdk-nag: ${report.violations.length} AwsSolutions finding(s) in ${stack.stackName}`);
}
app.synth();
