import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi, HttpIntegrationSubtype, HttpMethod, HttpRouteIntegration, ParameterMapping } from 'aws-cdk-lib/aws-apigatewayv2';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  HttpAppConfigIntegration,
  HttpEventBridgeIntegration,
  HttpKinesisIntegration,
  HttpSqsIntegration,
} from '../../src';
import { newStack, propertiesOf, statementsOf } from '../helpers';

function route(stack: Stack, integration: HttpRouteIntegration) {
  new HttpApi(stack, 'Api').addRoutes({ path: '/x', methods: [HttpMethod.POST], integration });
}

function integrationOf(stack: Stack) {
  return propertiesOf(stack, 'AWS::ApiGatewayV2::Integration')[0];
}

describe('HttpSqsIntegration', () => {
  test.each([
    [HttpIntegrationSubtype.SQS_SEND_MESSAGE, 'sqs:SendMessage', ['MessageBody', 'QueueUrl']],
    [HttpIntegrationSubtype.SQS_RECEIVE_MESSAGE, 'sqs:ReceiveMessage', ['QueueUrl']],
    [HttpIntegrationSubtype.SQS_DELETE_MESSAGE, 'sqs:DeleteMessage', ['QueueUrl', 'ReceiptHandle']],
    [HttpIntegrationSubtype.SQS_PURGE_QUEUE, 'sqs:PurgeQueue', ['QueueUrl']],
  ])('%s: the role may %s on the queue only; default mapping %j', (subtype, action, keys) => {
    const stack = newStack();
    route(stack, new HttpSqsIntegration('Q', { queue: new sqs.Queue(stack, 'Queue'), subtype }));
    expect(integrationOf(stack)).toMatchObject({ IntegrationSubtype: subtype, IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '1.0' });
    expect(Object.keys(integrationOf(stack).RequestParameters).sort()).toEqual(keys);
    expect(statementsOf(stack)).toEqual([{ Sid: 'AllowSqsExecution', Effect: 'Allow', Action: action, Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'Arn'] } }]);
  });

  test('a queue with a customer-managed key: SendMessage also gets GenerateDataKey and Decrypt on that key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    route(stack, new HttpSqsIntegration('Q', { queue: new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key }) }));
    const kmsStatement = statementsOf(stack).find((s) => JSON.stringify(s.Action).includes('kms:'));
    expect(kmsStatement).toMatchObject({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Key/), 'Arn'] } });
  });

  test('a subtype of another service fails, listing the SQS subtypes', () => {
    const stack = newStack();
    const integration = new HttpSqsIntegration('Q', { queue: new sqs.Queue(stack, 'Queue'), subtype: HttpIntegrationSubtype.KINESIS_PUT_RECORD });
    expect(() => route(stack, integration)).toThrow(/\[HttpSqsIntegration\] subtype: 'Kinesis-PutRecord' belongs to another service.*SQS-SendMessage/);
  });

  test("a caller's mapping keeps its keys, gains QueueUrl, and is not changed itself", () => {
    const stack = newStack();
    const mapping = new ParameterMapping().custom('MessageBody', '$request.body');
    route(stack, new HttpSqsIntegration('Q', { queue: new sqs.Queue(stack, 'Queue'), parameterMapping: mapping }));
    expect(integrationOf(stack).RequestParameters).toEqual({ MessageBody: '$request.body', QueueUrl: { Ref: expect.stringMatching(/^Queue/) } });
    expect(mapping.mappings).toEqual({ MessageBody: '$request.body' });
  });
});

describe('HttpEventBridgeIntegration', () => {
  test('PutEvents on the bus only, with the default mapping', () => {
    const stack = newStack();
    const bus = new events.EventBus(stack, 'Bus');
    route(stack, new HttpEventBridgeIntegration('E', { eventBusRef: bus.eventBusRef }));
    expect(integrationOf(stack)).toMatchObject({
      IntegrationSubtype: 'EventBridge-PutEvents',
      RequestParameters: { Detail: '$request.body.Detail', DetailType: '$request.body.DetailType', Source: '$request.body.Source', EventBusName: { Ref: expect.stringMatching(/^Bus/) } },
    });
    expect(statementsOf(stack)).toEqual([{ Sid: 'AllowEventBridgePutEvents', Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Bus/), 'Arn'] } }]);
  });

  test("a caller's mapping is not mutated when EventBusName is added", () => {
    const stack = newStack();
    const bus = new events.EventBus(stack, 'Bus');
    const mapping = new ParameterMapping().custom('Detail', '$request.body');
    route(stack, new HttpEventBridgeIntegration('E', { eventBusRef: bus.eventBusRef, parameterMapping: mapping }));
    expect(mapping.mappings).toEqual({ Detail: '$request.body' });
    expect(Object.keys(integrationOf(stack).RequestParameters).sort()).toEqual(['Detail', 'EventBusName']);
  });

  test('a subtype of another service fails', () => {
    const stack = newStack();
    const bus = new events.EventBus(stack, 'Bus');
    const integration = new HttpEventBridgeIntegration('E', { eventBusRef: bus.eventBusRef, subtype: HttpIntegrationSubtype.SQS_SEND_MESSAGE });
    expect(() => route(stack, integration)).toThrow(/\[HttpEventBridgeIntegration\] subtype: 'SQS-SendMessage' belongs to another service/);
  });
});

describe('HttpKinesisIntegration', () => {
  test('PutRecord on the stream only, with StreamName, Data and PartitionKey mapped', () => {
    const stack = newStack();
    route(stack, new HttpKinesisIntegration('K', { stream: new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.UNENCRYPTED }) }));
    expect(integrationOf(stack)).toMatchObject({
      IntegrationSubtype: 'Kinesis-PutRecord',
      IntegrationType: 'AWS_PROXY',
      RequestParameters: { StreamName: { Ref: expect.stringMatching(/^Stream/) }, Data: '$request.body.Data', PartitionKey: '$request.body.PartitionKey' },
    });
    expect(statementsOf(stack)).toEqual([{ Sid: 'AllowKinesisPutRecord', Effect: 'Allow', Action: 'kinesis:PutRecord', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Stream/), 'Arn'] } }]);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] } });
  });

  test('a stream with a customer-managed key: GenerateDataKey on that key too', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key');
    route(stack, new HttpKinesisIntegration('K', { stream: new kinesis.Stream(stack, 'Stream', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key }) }));
    expect(statementsOf(stack).map((s) => s.Action)).toEqual(['kinesis:PutRecord', 'kms:GenerateDataKey']);
  });

  test("a caller's role gets the statement and no role is created", () => {
    const stack = newStack();
    const role = new iam.Role(stack, 'Mine', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
    route(stack, new HttpKinesisIntegration('K', { stream: new kinesis.Stream(stack, 'Stream'), credentialsRole: role }));
    expect(propertiesOf(stack, 'AWS::IAM::Role')).toHaveLength(1);
  });

  test('a subtype of another service fails', () => {
    const stack = newStack();
    const integration = new HttpKinesisIntegration('K', { stream: new kinesis.Stream(stack, 'Stream'), subtype: HttpIntegrationSubtype.SQS_PURGE_QUEUE });
    expect(() => route(stack, integration)).toThrow(/\[HttpKinesisIntegration\] subtype: 'SQS-PurgeQueue' belongs to another service.*Kinesis-PutRecord/);
  });
});

describe('HttpAppConfigIntegration', () => {
  test('GetConfiguration on that application, environment and profile only', () => {
    const stack = newStack();
    const application = new appconfig.Application(stack, 'App');
    const environment = new appconfig.Environment(stack, 'Env', { application });
    const configuration = new appconfig.HostedConfiguration(stack, 'Config', { application, content: appconfig.ConfigurationContent.fromInlineJson('{}') });
    route(stack, new HttpAppConfigIntegration('C', { application, environment, configuration }));
    expect(integrationOf(stack)).toMatchObject({
      IntegrationSubtype: 'AppConfig-GetConfiguration',
      RequestParameters: {
        Application: { Ref: expect.stringMatching(/^App/) },
        Environment: { Ref: expect.stringMatching(/^Env/) },
        Configuration: { Ref: expect.stringMatching(/^Config/) },
        ClientId: '$request.querystring.clientId',
      },
    });
    const [statement] = statementsOf(stack);
    expect(statement.Action).toBe('appconfig:GetConfiguration');
    // The application, environment and configuration-profile ARNs: the resource types GetConfiguration is authorized on.
    const arns = (statement.Resource as any[]).map((r) => r['Fn::Join'][1].map((p: any) => (typeof p === 'string' ? p : `<${p.Ref.replace(/[0-9A-F]{8}$/, '')}>`)).join(''));
    expect(arns).toEqual([
      'arn:<AWS::Partition>:appconfig:us-east-1:<AWS::AccountId>:application/<App>',
      'arn:<AWS::Partition>:appconfig:us-east-1:<AWS::AccountId>:application/<App>/environment/<Env>',
      'arn:<AWS::Partition>:appconfig:us-east-1:<AWS::AccountId>:application/<App>/configurationprofile/<ConfigConfigurationProfile>',
    ]);
  });
});
