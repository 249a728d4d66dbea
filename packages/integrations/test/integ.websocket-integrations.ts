// Every WebSocket integration class on one WebSocket API, synthesized and snapshotted.
import { IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  DefaultWebSocketStage,
  WebSocketAwsIntegration,
  WebSocketDynamoDbAction,
  WebSocketDynamoDbIntegration,
  WebSocketLambdaIntegration,
  WebSocketMockIntegration,
} from '../src';

const app = new App();
const stack = new Stack(app, 'IntegWebSocketIntegrations', { env: { region: process.env.CDK_DEFAULT_REGION ?? 'us-east-1' } });

const connections = new dynamodb.Table(stack, 'Connections', {
  partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  timeToLiveAttribute: 'ttl',
});
const echo = new lambda.Function(stack, 'Echo', {
  runtime: lambda.Runtime.NODEJS_24_X,
  architecture: lambda.Architecture.ARM_64,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (event) => ({ statusCode: 200, body: event.body });'),
});
const auditRole = new iam.Role(stack, 'AuditRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
const audit = new dynamodb.Table(stack, 'Audit', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
audit.grant(auditRole, 'dynamodb:PutItem');

const api = new apigwv2.WebSocketApi(stack, 'Api', {
  routeSelectionExpression: '$request.body.action',
  connectRouteOptions: {
    integration: new WebSocketDynamoDbIntegration('Connect', { table: connections, action: WebSocketDynamoDbAction.PUT_ITEM, staticAttributes: { room: 'general' } }),
  },
  disconnectRouteOptions: {
    integration: new WebSocketDynamoDbIntegration('Disconnect', { table: connections, action: WebSocketDynamoDbAction.DELETE_ITEM }),
  },
});
api.addRoute('echo', { integration: new WebSocketLambdaIntegration('EchoIntegration', echo), returnResponse: true });
api.addRoute('audit', {
  integration: new WebSocketAwsIntegration('AuditPutItem', {
    integrationUri: `arn:aws:apigateway:${stack.region}:dynamodb:action/PutItem`,
    integrationMethod: apigwv2.HttpMethod.POST,
    credentialsRole: auditRole,
    requestTemplates: { $default: JSON.stringify({ TableName: audit.tableName, Item: { id: { S: '$context.requestId' } } }) },
    templateSelectionExpression: '\\$default',
  }),
});
api.addRoute('ping', {
  integration: new WebSocketMockIntegration('Ping', { requestTemplates: { $default: '{"statusCode": 200}' }, templateSelectionExpression: '\\$default' }),
});
new DefaultWebSocketStage(stack, 'Stage', { webSocketApi: api });

new IntegTest(app, 'WebSocketIntegrations', { testCases: [stack], regions: [stack.region], diffAssets: true });
