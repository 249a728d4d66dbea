import {
  DefaultWebSocketStage,
  WebSocketDynamoDbAction,
  WebSocketDynamoDbIntegration,
} from '@apigw-blueprints/integrations';
import { RemovalPolicy } from 'aws-cdk-lib';
import { WebSocketApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/**
 * Properties of WebSocketChat.
 */
export interface WebSocketChatProps {
  /**
   * The room a connection joins when it connects.
   * @default 'general'
   */
  readonly defaultRoom?: string;
  /**
   * Hours after which DynamoDB may expire a connection's item.
   * @default 2
   */
  readonly connectionTtlHours?: number;
}

/**
 * Chat rooms on a WebSocket API: connections are written to DynamoDB straight
 * from API Gateway on `$connect` and deleted on `$disconnect`.
 */
export class WebSocketChat extends Construct {
  /** The WebSocket API. */
  public readonly api: WebSocketApi;
  /** The connections table (partition key `connectionId`, GSI `byRoom`). */
  public readonly table: dynamodb.Table;
  /** The stage clients connect to. */
  public readonly stage: DefaultWebSocketStage;

  constructor(scope: Construct, id: string, props: WebSocketChatProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Connections', {
      partitionKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'ttl',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'byRoom',
      partitionKey: { name: 'room', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'connectionId', type: dynamodb.AttributeType.STRING },
    });
    this.api = new WebSocketApi(this, 'Api', {
      routeSelectionExpression: '$request.body.action',
      connectRouteOptions: {
        integration: new WebSocketDynamoDbIntegration('Connect', {
          table: this.table,
          action: WebSocketDynamoDbAction.PUT_ITEM,
          staticAttributes: { room: props.defaultRoom ?? 'general' },
          ttlHours: props.connectionTtlHours ?? 2,
        }),
      },
      disconnectRouteOptions: {
        integration: new WebSocketDynamoDbIntegration('Disconnect', { table: this.table, action: WebSocketDynamoDbAction.DELETE_ITEM }),
      },
    });
    this.stage = new DefaultWebSocketStage(this, 'Stage', { webSocketApi: this.api });
  }
}
