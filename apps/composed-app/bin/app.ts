#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ComposedStack } from './composed-stack';

// A region but no account: nothing needs a context lookup, so synth works offline.
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
const stack = new ComposedStack(app, 'Composed', { env: { region } });

// cdk-nag (AwsSolutions) on every synth, on the stack (aws-cdk-lib 2.257 hands
// validation plugins no construct tree); an unacknowledged finding stops the synth.
const report = new AwsSolutionsChecks().validateScope(stack);
if (!report.success) {
  for (const v of report.violations) {
    console.error(`${v.ruleName}: ${v.description}\n  ${v.violatingResources.map((r) => r.constructPath).join('\n  ')}`);
  }
  throw new Error(`cdk-nag: ${report.violations.length} AwsSolutions finding(s) in ${stack.stackName}`);
}
app.synth();
