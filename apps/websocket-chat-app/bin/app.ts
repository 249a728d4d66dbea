#!/usr/bin/env node
import { WebSocketChatStack } from '@apigw-blueprints/websocket-chat';
import { App } from 'aws-cdk-lib';

// A region but no account: nothing needs a context lookup, so synth works offline.
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
// `-c createCloudWatchRole=true` once per account and region, when it has no API Gateway logging role yet.
const createCloudWatchRole = String(app.node.tryGetContext('createCloudWatchRole')) === 'true';
// The dashboard is off by default in the construct (billed per month); the sample shows it.
new WebSocketChatStack(app, 'WebSocketChat', { env: { region }, chat: { createCloudWatchRole, dashboard: true } });
