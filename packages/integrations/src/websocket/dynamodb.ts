import { Duration, Stack, StringConcat, Token, Tokenization } from 'aws-cdk-lib';
import {
  PassthroughBehavior,
  WebSocketIntegrationType,
  WebSocketRouteIntegration,
  WebSocketRouteIntegrationBindOptions,
  WebSocketRouteIntegrationConfig,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { connectionItemTemplate, deleteConnectionTemplate } from './dynamodb-templates';
import { configError } from '../private/errors';
import { integrationRole } from '../private/role';
import { checkTimeout, WEBSOCKET_TIMEOUT_MS } from '../private/timeout';

const OWNER = 'WebSocketDynamoDbIntegration';

/**
 * The DynamoDB call a WebSocketDynamoDbIntegration makes.
 */
export enum WebSocketDynamoDbAction {
  /** Write the connection's item (for `$connect`). */
  PUT_ITEM = 'PutItem',
  /** Delete the connection's item (for `$disconnect`). */
  DELETE_ITEM = 'DeleteItem',
}

/**
 * Properties of a WebSocketDynamoDbIntegration.
 */
export interface WebSocketDynamoDbIntegrationProps {
  /** The table of connections; its partition key holds the connection id. */
  readonly table: dynamodb.ITable;

  /** Which call to make. */
  readonly action: WebSocketDynamoDbAction;

  /**
   * The table's partition key attribute, set to `$context.connectionId`.
   * @default 'connectionId'
   */
  readonly partitionKeyName?: string;

  /**
   * Fixed string attributes written with the item (PUT_ITEM only), such as the default room.
   * Names and values go into a Velocity template, so they must not contain `$` or `#`
   * (Velocity would evaluate them or comment out the rest of the line); literal ones
   * that do fail at synth, and values resolved at deploy (tokens) must not contain
   * them either. Names must differ from the key, `connectedAt` and TTL attributes.
   * @default - none
   */
  readonly staticAttributes?: { [name: string]: string };

  /**
   * The attribute that holds the connection time, in epoch milliseconds (PUT_ITEM only).
   * @default 'connectedAt'
   */
  readonly connectedAtAttributeName?: string;

  /**
   * The table's time-to-live attribute, written as an integer of epoch SECONDS
   * as DynamoDB TTL requires (PUT_ITEM only).
   * @default 'ttl'
   */
  readonly ttlAttributeName?: string;

  /**
   * Hours after connecting at which DynamoDB may expire the item; 0 writes no TTL.
   * API Gateway closes a WebSocket connection after 2 hours at most.
   * @default 2
   */
  readonly ttlHours?: number;

  /**
   * A role for API Gateway to assume instead of the one this integration creates.
   * @default - a new role trusted by apigateway.amazonaws.com, allowed this one action on this table
   */
  readonly credentialsRole?: iam.IRole;

  /**
   * How long API Gateway waits for DynamoDB: 50 ms to 29 s.
   * @default Duration.seconds(29)
   */
  readonly timeout?: Duration;
}

/**
 * Writes (on `$connect`) or deletes (on `$disconnect`) a WebSocket connection's
 * item in DynamoDB straight from API Gateway: no Lambda on the connection path.
 * Builds the request template and a role allowed exactly that action on that table.
 */
export class WebSocketDynamoDbIntegration extends WebSocketRouteIntegration {
  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: WebSocketDynamoDbIntegrationProps) {
    super(id);
    checkTimeout(OWNER, id, props.timeout, WEBSOCKET_TIMEOUT_MS, 'WebSocket API');
    const hours = props.ttlHours ?? 2;
    if (!Number.isInteger(hours) || hours < 0) {
      configError(id, 'TtlHoursInvalid', OWNER, 'ttlHours', `${hours} is not a whole number of hours`, 'pass an integer >= 0 (0 writes no TTL)');
    }
  }

  public bind(options: WebSocketRouteIntegrationBindOptions): WebSocketRouteIntegrationConfig {
    const table = this.props.table;
    const action = this.props.action;
    const keyName = this.props.partitionKeyName ?? 'connectionId';
    const connectedAtName = this.props.connectedAtAttributeName ?? 'connectedAt';
    const ttlName = this.props.ttlAttributeName ?? 'ttl';
    const ttlHours = this.props.ttlHours ?? 2;
    const staticAttributes = this.props.staticAttributes ?? {};
    const template = action === WebSocketDynamoDbAction.PUT_ITEM
      ? connectionItemTemplate({ tableName: table.tableName, keyName, connectedAtName, ttlName, ttlHours, staticAttributes })
      : deleteConnectionTemplate({ tableName: table.tableName, keyName });
    this.checkTemplateText(options, [
      ['partitionKeyName', keyName],
      ...(action === WebSocketDynamoDbAction.PUT_ITEM ? [
        ['connectedAtAttributeName', connectedAtName],
        ...(ttlHours > 0 ? [['ttlAttributeName', ttlName]] : []),
        ...Object.entries(staticAttributes).flatMap(([name, value]) => [[`staticAttributes name '${name}'`, name], [`staticAttributes.${name}`, value]]),
      ] : []),
    ] as Array<[string, string]>);
    if (action === WebSocketDynamoDbAction.PUT_ITEM) {
      const written = [['partitionKeyName', keyName], ['connectedAtAttributeName', connectedAtName], ...(ttlHours > 0 ? [['ttlAttributeName', ttlName]] : []),
        ...Object.keys(staticAttributes).map((name) => ['staticAttributes', name])];
      const seen = new Map<string, string>();
      for (const [prop, name] of written) {
        if (seen.has(name)) {
          configError(options.scope, 'DuplicateAttributeName', OWNER, prop,
            `'${name}' is also the ${seen.get(name)}, so the item would name it twice`,
            'give each attribute its own name');
        }
        seen.set(name, prop);
      }
    }

    const role = integrationRole(options.scope, new iam.PolicyStatement({
      sid: `AllowDynamoDb${action}`,
      actions: [`dynamodb:${action}`],
      resources: [table.tableArn],
    }), {
      role: this.props.credentialsRole,
      // Writing to or deleting from a table encrypted with a customer-managed key.
      key: table.encryptionKey,
      kmsActions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
    });

    return {
      type: WebSocketIntegrationType.AWS,
      uri: Stack.of(options.route).formatArn({ service: 'apigateway', account: 'dynamodb', resource: 'action', resourceName: action }),
      method: 'POST',
      credentialsRole: role,
      requestTemplates: { $default: template },
      templateSelectionExpression: '\\$default',
      passthroughBehavior: PassthroughBehavior.NEVER,
      timeout: this.props.timeout,
    };
  }

  /**
   * `$` and `#` in literal text of the template would be Velocity, not text:
   * `$x` is evaluated, `##` comments out the rest of the line, `#set` runs.
   * The literal parts of a string are checked; its tokens resolve at deploy
   * and cannot be.
   */
  private checkTemplateText(options: WebSocketRouteIntegrationBindOptions, texts: Array<[string, string]>): void {
    for (const [prop, text] of texts) {
      const literal = Token.isUnresolved(text)
        ? Tokenization.reverseString(text).mapTokens({ mapToken: () => '' }).join(new StringConcat())
        : text;
      if (/[$#]/.test(literal)) {
        configError(options.scope, 'VelocityCharacterInText', OWNER, prop,
          `'${text}' contains '$' or '#', which the Velocity request template would evaluate instead of writing`,
          'use names and values without $ and #');
      }
    }
  }
}
