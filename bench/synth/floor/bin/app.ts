#!/usr/bin/env node
// The floor of every synth benchmark: one empty stack, on the sample apps' toolchain
// (the same cdk.json `app` command: ts-node, aws-cdk-lib, constructs). What an app
// costs beyond this is what its constructs, checks and assets cost.
import { App, Stack } from 'aws-cdk-lib';

const app = new App();
new Stack(app, 'Floor', { env: { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' } });
app.synth();
