#!/usr/bin/env node
import { PrivateAlbApiStack } from '@apigw-blueprints/private-alb-api';
import { App } from 'aws-cdk-lib';

// A region but no account: nothing needs a context lookup, so synth works offline.
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
new PrivateAlbApiStack(app, 'PrivateAlbApi', { env: { region } });
