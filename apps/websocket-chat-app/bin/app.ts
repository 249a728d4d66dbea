#!/usr/bin/env node
import { WebSocketChatStack } from '@apigw-blueprints/websocket-chat';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

// A region but no account: nothing needs a context lookup, so synth works offline.
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
// `-c createCloudWatchRole=true` once per account and region, when it has no API Gateway logging role yet.
const createCloudWatchRole = String(app.node.tryGetContext('createCloudWatchRole')) === 'true';
// The dashboard is off by default in the construct (billed per month); the sample shows it.
const stack = new WebSocketChatStack(app, 'WebSocketChat', { env: { region }, chat: { createCloudWatchRole, dashboard: true } });

// cdk-nag (AwsSolutions) on every synth, as in the other sample apps: bench/
// measured it at 0.5–0.8 s a synth here, a small price for catching an IAM
// or logging regression before a deploy. aws-cdk-lib 2.257 hands validation
// plugins no construct tree, so the pack runs on the stack; a finding the
// construct has not acknowledged stops the synth.
const report = new AwsSolutionsChecks().validateScope(stack);
if (!report.success) {
  for (const v of report.violations) console.error(`${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  throw new Error(`cdk-nag: ${report.violations.length} AwsSolutions finding(s) in ${stack.stackName}`);
}
app.synth();
