import * as path from 'node:path';
import {
  DefaultWebSocketStage,
  HandlerFunction,
  WebSocketDynamoDbAction,
  WebSocketDynamoDbIntegration,
  WebSocketLambdaIntegration,
} from '@apigw-blueprints/integrations';
import { RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

// Handlers are bundled at build time into assets/<handler>/index.js, shipped in the package.
const ASSETS = path.join(__dirname, '..', 'assets');
const ROOM_INDEX = 'byRoom';
const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Properties of WebSocketChat.
 */
export interface WebSocketChatProps {
  /**
   * The room a connection is in until it joins another. WebSocket mapping
   * templates cannot read the connect request's query string, so a client
   * picks its room after connecting.
   * @default 'general'
   */
  readonly defaultRoom?: string;

  /**
   * Hours after connecting at which DynamoDB may expire a connection's item
   * (API Gateway closes a connection after 2 hours at most).
   * @default 2
   */
  readonly connectionTtlHours?: number;

  /**
   * An authorizer for `$connect` (a Lambda REQUEST authorizer or IAM).
   * @default - none: anyone with the URL can connect
   */
  readonly connectAuthorizer?: apigwv2.IWebSocketRouteAuthorizer;

  /**
   * Set the account's API Gateway CloudWatch Logs role, which WebSocket stage
   * logging needs. It is one setting per account and region: turn it on only
   * when the account has none yet (see the README).
   * @default false
   */
  readonly createCloudWatchRole?: boolean;

  /**
   * Default route throttling of the stage.
   * @default - StageThrottle defaults: 100 messages per second, bursts of 200
   */
  readonly throttle?: apigwv2.ThrottleSettings;

  /**
   * Retention of the functions' and the access log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * What happens to the connections table when it leaves the stack. Connections
   * live two hours at most, so nothing of value is lost by default.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Chat rooms on a WebSocket API. `$connect` and `$disconnect` write and delete
 * the connection's item straight from API Gateway (no Lambda on that path);
 * `join`, `sendmessage` and `$default` are Lambda routes.
 */
export class WebSocketChat extends Construct {
  /** The WebSocket API (route selection `$request.body.action`). */
  public readonly api: apigwv2.WebSocketApi;
  /** The stage clients connect to, with its outputs. */
  public readonly stage: DefaultWebSocketStage;
  /** The connections table (partition key `connectionId`, GSI `byRoom` on `room`). */
  public readonly table: dynamodb.Table;
  /** `join`: UpdateItem on the table, Query on the room index. */
  public readonly joinFunction: lambda.Function;
  /** `sendmessage`: GetItem and DeleteItem on the table, Query on the room index, ManageConnections on the stage. */
  public readonly sendMessageFunction: lambda.Function;
  /** `$default`: no AWS permissions. */
  public readonly defaultFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: WebSocketChatProps = {}) {
    super(scope, id);
    const defaultRoom = props.defaultRoom ?? 'general';
    if (!ROOM_NAME.test(defaultRoom)) {
      throw new Error(`[WebSocketChat] defaultRoom: '${defaultRoom}' is not a room name. Fix: use 1 to 64 of letters, digits, "_" and "-". (at ${this.node.path})`);
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    this.table = new dynamodb.Table(this, 'Connections', {
      partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: ROOM_INDEX,
      partitionKey: { name: 'room', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });

    this.api = new apigwv2.WebSocketApi(this, 'Api', {
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration: new WebSocketDynamoDbIntegration('Connect', {
          table: this.table,
          action: WebSocketDynamoDbAction.PUT_ITEM,
          staticAttributes: { room: defaultRoom },
          ttlHours: props.connectionTtlHours ?? 2,
        }),
        authorizer: props.connectAuthorizer,
      },
      disconnectRouteOptions: {
        integration: new WebSocketDynamoDbIntegration('Disconnect', { table: this.table, action: WebSocketDynamoDbAction.DELETE_ITEM }),
      },
    });
    this.stage = new DefaultWebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      throttle: props.throttle,
      accessLogRetention: logRetention,
      createCloudWatchRole: props.createCloudWatchRole,
    });

    const handler = (fnId: string, name: string, description: string, environment: Record<string, string> = {}) => new HandlerFunction(this, fnId, {
      codeDirectory: path.join(ASSETS, name),
      environment: { TABLE_NAME: this.table.tableName, ROOM_INDEX, ...environment },
      description: `websocket-chat ${name}: ${description}`,
      logRetention,
    }).function;
    // Statements of their own: Table.grant would also allow every index (`/index/*`).
    const allow = (fn: lambda.Function, resource: string, ...actions: string[]) =>
      fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [resource] }));
    const roomIndexArn = `${this.table.tableArn}/index/${ROOM_INDEX}`;

    this.joinFunction = handler('Join', 'join', 'UpdateItem, Query on the room index');
    allow(this.joinFunction, this.table.tableArn, 'dynamodb:UpdateItem');
    allow(this.joinFunction, roomIndexArn, 'dynamodb:Query');

    this.sendMessageFunction = handler('SendMessage', 'sendmessage', 'GetItem, DeleteItem, Query on the room index, ManageConnections',
      { CALLBACK_URL: this.stage.stage.callbackUrl });
    allow(this.sendMessageFunction, this.table.tableArn, 'dynamodb:GetItem', 'dynamodb:DeleteItem');
    allow(this.sendMessageFunction, roomIndexArn, 'dynamodb:Query');
    this.stage.stage.grantManagementApiAccess(this.sendMessageFunction);
    // Validations.acknowledge refuses ids with '::' beyond the prefix, and this finding's id
    // holds '<AWS::Partition>': record the acknowledgement as acknowledge() would.
    this.sendMessageFunction.role!.node.findChild('DefaultPolicy').node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {
      [`AwsSolutions-IAM5[Resource::${this.connectionsArnForNag()}]`]:
        'execute-api:ManageConnections on this API\'s stage only; the connection ids are known only at runtime',
    });
    this.defaultFunction = handler('DefaultRoute', 'default', 'no AWS permissions');

    // Each route answers on the caller's connection (route response), so error frames reach the client.
    const messageRoutes = [
      this.api.addRoute('join', { integration: new WebSocketLambdaIntegration('JoinIntegration', this.joinFunction), returnResponse: true }),
      this.api.addRoute('sendmessage', { integration: new WebSocketLambdaIntegration('SendMessageIntegration', this.sendMessageFunction), returnResponse: true }),
      this.api.addRoute('$default', { integration: new WebSocketLambdaIntegration('DefaultIntegration', this.defaultFunction), returnResponse: true }),
      this.api.node.findChild('$disconnect-Route'),
    ];
    for (const route of messageRoutes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'WebSocket APIs authorize at $connect only; every later frame travels on that authorized connection',
      });
    }
    if (!props.connectAuthorizer) {
      Validations.of(this.api.node.findChild('$connect-Route')).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'No connectAuthorizer was given (prop `connectAuthorizer`): the deployer chose an open chat',
      });
    }
  }

  /** The stage's @connections ARN as cdk-nag names it in an IAM5 finding. */
  private connectionsArnForNag(): string {
    const stack = Stack.of(this);
    const region = Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region;
    const api = stack.getLogicalId(this.api.node.defaultChild as apigwv2.CfnApi);
    return `arn:<AWS::Partition>:execute-api:${region}:<AWS::AccountId>:<${api}>/${this.stage.stage.stageName}/*/@connections/*`;
  }
}
