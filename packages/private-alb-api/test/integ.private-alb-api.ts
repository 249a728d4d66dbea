// PrivateAlbApiStack with each of the three private targets, one stack each.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App } from 'aws-cdk-lib';
import { PrivateAlbApiStack, PrivateTarget } from '../src';

const app = new App();
const region = process.env.CDK_DEFAULT_REGION ?? 'us-east-1';
const stacks = [
  new PrivateAlbApiStack(app, 'IntegPrivateAlb', { env: { region } }),
  new PrivateAlbApiStack(app, 'IntegPrivateNlb', { env: { region }, privateAlbApi: { target: PrivateTarget.nlb() } }),
  new PrivateAlbApiStack(app, 'IntegPrivateCloudMap', { env: { region }, privateAlbApi: { target: PrivateTarget.cloudMap() } }),
];
new IntegTest(app, 'PrivateAlbApi', { testCases: stacks, regions: [region], diffAssets: true });
