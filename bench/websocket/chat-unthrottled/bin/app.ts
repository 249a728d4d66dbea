#!/usr/bin/env node
// apps/websocket-chat-app's stack with the stage throttle raised from the pattern's
// default (100 messages per second, bursts of 200) to the account quota: 100 clients
// connecting and joining at once would otherwise meet the throttle the local runner
// enforces as API Gateway does, and the benchmark would time that.
import { WebSocketChatStack } from '@apigw-blueprints/websocket-chat';
import { App } from 'aws-cdk-lib';

const app = new App();
// 10,000 per second, bursts of 5,000: the default account-level quota
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
new WebSocketChatStack(app, 'WebSocketChat', { env: { region: 'us-east-1' }, chat: { throttle: { rateLimit: 10_000, burstLimit: 5_000 } } });
app.synth();
