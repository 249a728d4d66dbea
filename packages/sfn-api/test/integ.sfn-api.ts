// SfnApiStack with the sample order workflows and the status route; the
// assertion runs an order synchronously through POST /start-sync.
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { SfnApiStack } from '../src';

const app = new App();
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';
const stack = new SfnApiStack(app, 'IntegSfnApi', { env: { region }, sfnApi: { executionStatusRoute: true, waitSeconds: 5 } });
const assertionStack = new Stack(app, 'IntegSfnApiAssertions', { env: { region } });
const integ = new IntegTest(app, 'SfnApi', { testCases: [stack], regions: [region], assertionStack });

integ.assertions.httpApiCall(`${stack.sfnApi.stage.stage.url}start-sync`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ items: [{ sku: 'book-dune', quantity: 1 }] }),
}).expect(ExpectedResult.objectLike({ status: 200, body: { status: 'SUCCEEDED' } }));
