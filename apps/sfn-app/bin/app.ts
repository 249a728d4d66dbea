#!/usr/bin/env node
import { SfnApiStack } from '@apigw-blueprints/sfn-api';
import { App } from 'aws-cdk-lib';

// A region but no account: nothing needs a context lookup, so synth works offline.
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';

const app = new App();
new SfnApiStack(app, 'SfnApi', { env: { region } });
