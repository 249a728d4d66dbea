#!/usr/bin/env node
// apps/websocket-chat-app as it is, plus the cdk-nag (AwsSolutions) check the other
// sample apps run on every synth: what turning it on there would cost. Keep the
// stack the same as apps/websocket-chat-app/bin/app.ts, so the two compare.
import { WebSocketChatStack } from '@apigw-blueprints/websocket-chat';
import { App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
const stack = new WebSocketChatStack(app, 'WebSocketChat', { env: { region }, chat: { createCloudWatchRole: false, dashboard: true } });

const report = new AwsSolutionsChecks().validateScope(stack);
if (!report.success) {
  for (const v of report.violations) console.error(`${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
  throw new Error(`cdk-nag: ${report.violations.length} AwsSolutions finding(s) in ${stack.stackName}`);
}
app.synth();
