import * as path from 'node:path';
import {
  DefaultWebSocketStage,
  HandlerFunction,
  HandlerFunctionOptions,
  PatternMonitoring,
  PatternMonitoringProps,
  WebSocketDynamoDbAction,
  WebSocketDynamoDbIntegration,
  WebSocketLambdaIntegration,
} from '@apigw-blueprints/integrations';
import { defaultPolicyOf, webSocketRouteOf } from '@apigw-blueprints/integrations/lib/private/children';
import { configError } from '@apigw-blueprints/integrations/lib/private/errors';
import { acknowledgeNagRule } from '@apigw-blueprints/integrations/lib/private/nag';
import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

// Handlers are bundled at build time into assets/<handler>/index.js, shipped in the package.
const ASSETS = path.join(__dirname, '..', 'assets');
const ROOM_INDEX = 'byRoom';
const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const TTL_ATTRIBUTE = 'ttl';
// What API Gateway waits for a WebSocket integration (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
const WEBSOCKET_INTEGRATION_LIMIT = Duration.seconds(29);

/**
 * Properties of WebSocketChat.
 */
export interface WebSocketChatProps extends PatternMonitoringProps {
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
   * What happens to a new connections table when it leaves the stack
   * (cannot be set with `existingTable`). Connections live two hours at
   * most, so nothing of value is lost by default.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * An existing connections table instead of a new one: partition key
   * `connectionId` (a string) and no sort key, a global secondary index
   * `byRoom` with partition key `room` and sort key `connectionId` (both
   * strings, any projection), and TTL on the attribute `ttl` so that items
   * of vanished connections expire. A `Table` construct is checked at synth
   * (a missing TTL is a warning); an imported table or a `TableV2` is not,
   * so make sure of it yourself. A customer-managed key is granted to the routes that use
   * the table (pass it with `Table.fromTableAttributes` when importing).
   * @default - a new table: on-demand, point-in-time recovery, AWS-managed encryption, TTL on `ttl`
   */
  readonly existingTable?: dynamodb.ITable;

  /**
   * The stage name, the path of the wss:// URL: 1 to 128 letters, digits, `-` and `_`.
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * Memory, timeout (at most 29 seconds, the WebSocket API's integration
   * limit), reserved concurrency, more environment variables and the log
   * level of each of the three functions (`join`, `sendmessage`, `$default`).
   * @default - HandlerFunctionOptions defaults: 256 MB, 10 seconds, no reserved concurrency, log level INFO
   */
  readonly functions?: HandlerFunctionOptions;
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
  /** The connections table (partition key `connectionId`, GSI `byRoom` on `room`): a new `Table`, or `existingTable`. */
  public readonly table: dynamodb.ITable;
  /** `join`: UpdateItem on the table, Query on the room index. */
  public readonly joinFunction: lambda.Function;
  /** `sendmessage`: GetItem and DeleteItem on the table, Query on the room index, ManageConnections on the stage. */
  public readonly sendMessageFunction: lambda.Function;
  /** `$default`: no AWS permissions. */
  public readonly defaultFunction: lambda.Function;
  /** The alarms (none with `alarms: false`); see the README for the list. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The dashboard, with `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: WebSocketChatProps = {}) {
    super(scope, id);
    const defaultRoom = props.defaultRoom ?? 'general';
    if (!ROOM_NAME.test(defaultRoom)) {
      configError(this, 'RoomNameInvalid', 'WebSocketChat', 'defaultRoom', `'${defaultRoom}' is not a room name`, 'use 1 to 64 of letters, digits, "_" and "-"');
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    if (props.existingTable) checkExistingTable(this, props);
    this.table = props.existingTable ?? this.newTable(props.removalPolicy);

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
      stageName: props.stageName,
      throttle: props.throttle,
      accessLogRetention: logRetention,
      createCloudWatchRole: props.createCloudWatchRole,
    });

    const handler = (fnId: string, name: string, description: string, environment: Record<string, string> = {}) => new HandlerFunction(this, fnId, {
      codeDirectory: path.join(ASSETS, name),
      environment: { TABLE_NAME: this.table.tableName, ROOM_INDEX, ...environment },
      description: `websocket-chat ${name}: ${description}`,
      logRetention,
      options: props.functions,
      optionsOwner: 'WebSocketChat',
      maxTimeout: WEBSOCKET_INTEGRATION_LIMIT,
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
    const manage = this.stage.stage.grantManagementApiAccess(this.sendMessageFunction);
    // The grant's own resource (the stage's @connections/*), whatever the stack's account and region.
    for (const resource of manage.principalStatements.flatMap((s) => s.resources)) {
      acknowledgeNagRule(defaultPolicyOf(this.sendMessageFunction.role!), 'AwsSolutions-IAM5',
        'execute-api:ManageConnections on this API\'s stage only; the connection ids are known only at runtime', { resource });
    }
    this.defaultFunction = handler('DefaultRoute', 'default', 'no AWS permissions');
    // Statements name the table alone; a customer-managed key needs its own grant. Both functions write (UpdateItem, DeleteItem).
    this.table.encryptionKey?.grantEncryptDecrypt(this.joinFunction);
    this.table.encryptionKey?.grantEncryptDecrypt(this.sendMessageFunction);

    // Each route answers on the caller's connection (route response), so error frames reach the client.
    const messageRoutes = [
      this.api.addRoute('join', { integration: new WebSocketLambdaIntegration('JoinIntegration', this.joinFunction), returnResponse: true }),
      this.api.addRoute('sendmessage', { integration: new WebSocketLambdaIntegration('SendMessageIntegration', this.sendMessageFunction), returnResponse: true }),
      this.api.addRoute('$default', { integration: new WebSocketLambdaIntegration('DefaultIntegration', this.defaultFunction), returnResponse: true }),
      webSocketRouteOf(this.api, '$disconnect'),
    ];
    for (const route of messageRoutes) {
      acknowledgeNagRule(route, 'AwsSolutions-APIG4', 'WebSocket APIs authorize at $connect only; every later frame travels on that authorized connection');
    }
    if (!props.connectAuthorizer) {
      acknowledgeNagRule(webSocketRouteOf(this.api, '$connect'), 'AwsSolutions-APIG4',
        'No connectAuthorizer was given (prop `connectAuthorizer`): the deployer chose an open chat');
    }

    const monitoring = new PatternMonitoring(this, 'Monitoring', { ...props, owner: 'WebSocketChat' });
    monitoring.watchWebSocketStage('API', this.api.apiId, this.stage.stage.stageName);
    for (const [name, fn] of [['Join', this.joinFunction], ['SendMessage', this.sendMessageFunction], ['DefaultRoute', this.defaultFunction]] as const) {
      monitoring.watchFunction(name, fn, fn.timeout!);
    }
    // PutItem and DeleteItem from $connect/$disconnect, UpdateItem from join, GetItem, Query and DeleteItem from sendmessage.
    monitoring.watchTable('Connections', this.table, [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.DELETE_ITEM,
      dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.GET_ITEM, dynamodb.Operation.QUERY], [ROOM_INDEX]);
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;
  }

  private newTable(removalPolicy: RemovalPolicy | undefined): dynamodb.Table {
    const table = new dynamodb.Table(this, 'Connections', {
      partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: removalPolicy ?? RemovalPolicy.DESTROY,
    });
    table.addGlobalSecondaryIndex({
      indexName: ROOM_INDEX,
      partitionKey: { name: 'room', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.KEYS_ONLY,
    });
    return table;
  }

}

/**
 * The handlers and the $connect/$disconnect templates address items by a
 * string `connectionId` and query rooms through `byRoom`: a `Table` construct
 * that lacks either fails here, naming what it has.
 */
function checkExistingTable(scope: Construct, props: WebSocketChatProps): void {
  const fail = (code: string, prop: string, problem: string, fix: string): never => configError(scope, code, 'WebSocketChat', prop, problem, fix);
  if (props.removalPolicy !== undefined) {
    fail('OnlyForCreatedTable', 'removalPolicy', 'applies to a table this construct creates, and existingTable was given', 'set it on your table, or drop existingTable');
  }
  const table = props.existingTable;
  if (!(table instanceof dynamodb.Table)) return;
  const keys = (attrs: dynamodb.Attribute[]) => attrs.map((a) => `'${a.name}' (${a.type})`).join(' + ') || 'none';
  const is = (attrs: dynamodb.Attribute[], name: string) =>
    attrs.length === 1 && attrs[0].name === name && attrs[0].type === dynamodb.AttributeType.STRING;
  const base = table.schemaV2();
  if (!is(base.partitionKeys, 'connectionId') || base.sortKeys.length) {
    fail('ExistingTableSchema', 'existingTable', `items are keyed by a string partition key 'connectionId' alone; this table has partition key ${keys(base.partitionKeys)}`
      + `${base.sortKeys.length ? ` and sort key ${keys(base.sortKeys)}` : ''}`,
    "give a table with partitionKey { name: 'connectionId', type: AttributeType.STRING } and no sort key, or drop existingTable for a new one");
  }
  let index: dynamodb.KeySchema | undefined;
  try {
    index = table.schemaV2(ROOM_INDEX);
  } catch {
    // schemaV2 throws for an index the table does not have.
  }
  if (!index || !is(index.partitionKeys, 'room') || !is(index.sortKeys, 'connectionId')) {
    fail('ExistingTableSchema', 'existingTable', `rooms are read through a global secondary index '${ROOM_INDEX}' with partition key 'room' and sort key 'connectionId' (strings); `
      + (index ? `this table's has partition key ${keys(index.partitionKeys)} and sort key ${keys(index.sortKeys)}` : 'this table has none'),
    `add it with table.addGlobalSecondaryIndex({ indexName: '${ROOM_INDEX}', partitionKey: { name: 'room', type: AttributeType.STRING }, `
      + "sortKey: { name: 'connectionId', type: AttributeType.STRING } })");
  }
  const ttl = (table.node.defaultChild as dynamodb.CfnTable).timeToLiveSpecification as dynamodb.CfnTable.TimeToLiveSpecificationProperty | undefined;
  if (!ttl || ttl.attributeName !== TTL_ATTRIBUTE || ttl.enabled !== true) {
    Annotations.of(scope).addWarningV2('@apigw-blueprints/websocket-chat:existingTableWithoutTtl',
      `existingTable has no TTL on '${TTL_ATTRIBUTE}': items of connections that vanish without $disconnect stay until a message to their room finds them gone. `
      + `Set timeToLiveAttribute: '${TTL_ATTRIBUTE}' on the table.`);
  }
}
