// WebSocketChatStack as the sample app deploys it; the snapshot pins the
// $connect/$disconnect templates, the route responses and every policy.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { WebSocketChatStack } from '../src';

const app = new App();
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';
const stack = new WebSocketChatStack(app, 'IntegWebSocketChat', { env: { region } });
new IntegTest(app, 'WebSocketChat', { testCases: [stack], regions: [region], diffAssets: true });
