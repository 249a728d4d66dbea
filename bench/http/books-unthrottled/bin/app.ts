#!/usr/bin/env node
// apps/books-app's stack with the stage throttle raised from the pattern's default
// (100 requests per second, bursts of 200) to the account quota: the local runner
// enforces stage throttling as API Gateway does, so under load the default would
// answer 429 and the benchmark would time the throttle, not the API.
import { BooksApiStack } from '@apigw-blueprints/books-api';
import { App } from 'aws-cdk-lib';

const app = new App();
// 10,000 rps and bursts of 5,000: API Gateway's default account-level quota
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
new BooksApiStack(app, 'BooksApi', { env: { region: 'us-east-1' }, books: { throttle: { rateLimit: 10_000, burstLimit: 5_000 } } });
app.synth();
