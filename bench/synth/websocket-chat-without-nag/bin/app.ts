#!/usr/bin/env node
// apps/websocket-chat-app without its cdk-nag (AwsSolutions) check: what the check
// costs that app's synth. Keep the stack the same as apps/websocket-chat-app/bin/app.ts
// (with its default context), so the two compare.
import { WebSocketChatStack } from '@apigw-blueprints/websocket-chat';
import { App } from 'aws-cdk-lib';

const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
new WebSocketChatStack(app, 'WebSocketChat', { env: { region }, chat: { createCloudWatchRole: false, dashboard: true } });
app.synth();
