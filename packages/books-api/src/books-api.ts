import * as path from 'node:path';
import {
  DefaultHttpStage, ExistingHttpApiProps, HandlerFunction, HandlerFunctionOptions, HttpLambdaIntegration, PatternHttpApi, PatternHttpApiProps,
  PatternMonitoring, PatternMonitoringProps,
} from '@apigw-blueprints/integrations';
import { configError } from '@apigw-blueprints/integrations/lib/private/errors';
import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_RETENTION, ROUTE_ACTIONS, ROUTE_WRITES, TABLE_OPERATIONS } from './books-api-defaults';

// Handlers are bundled at build time into assets/<handler>/index.js, shipped in
// the package; the same relative path works from src/ (tests) and lib/.
const ASSETS = path.join(__dirname, '..', 'assets');

/**
 * Properties of BooksApi.
 */
export interface BooksApiProps extends PatternHttpApiProps, ExistingHttpApiProps, PatternMonitoringProps {
  /**
   * An existing books table (partition key `id`, a string, no sort key)
   * instead of a new one; its ids must be lower-case UUIDs, as POST creates
   * them (page tokens carry only such ids). A `Table` construct's key schema
   * is checked at synth; an imported table (`Table.fromTableName`, ...) or a
   * `TableV2` cannot be, so make sure of it yourself. A
   * table encrypted with a customer-managed key works: the functions get
   * kms:Decrypt on that key, the writing ones kms:Encrypt, GenerateDataKey*
   * and ReEncrypt* too (pass the key with `Table.fromTableAttributes` when
   * the table is imported).
   * @default - a new table: on-demand, point-in-time recovery, AWS-managed encryption
   */
  readonly existingTable?: dynamodb.ITable;

  /**
   * What happens to a new table when it leaves the stack (cannot be set with `existingTable`).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * DynamoDB deletion protection of a new table (cannot be set with `existingTable`).
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * Retention of the functions' log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Memory, timeout (at most 30 seconds, the HTTP API's integration limit),
   * reserved concurrency, more environment variables and the log level of
   * each of the five functions.
   * @default - HandlerFunctionOptions defaults: 256 MB, 10 seconds, no reserved concurrency, log level INFO
   */
  readonly functions?: HandlerFunctionOptions;
}

/**
 * A books catalogue: an HTTP API whose five routes are each served by their
 * own Lambda function, over a DynamoDB table.
 *
 * `GET /books`, `POST /books`, `GET /books/{id}`, `PUT /books/{id}` (optimistic
 * concurrency on `version`), `DELETE /books/{id}`.
 */
export class BooksApi extends Construct {
  /** The HTTP API. */
  public readonly api: apigwv2.HttpApi;
  /** Its stage, with access logs, throttling and the URL output; undefined with `existingApi` (the stage is yours). */
  public readonly stage?: DefaultHttpStage;
  /** The books table. */
  public readonly table: dynamodb.ITable;
  /** GET /books (Scan). */
  public readonly listFunction: lambda.Function;
  /** POST /books (PutItem). */
  public readonly createFunction: lambda.Function;
  /** GET /books/{id} (GetItem). */
  public readonly readFunction: lambda.Function;
  /** PUT /books/{id} (UpdateItem, GetItem). */
  public readonly updateFunction: lambda.Function;
  /** DELETE /books/{id} (DeleteItem). */
  public readonly deleteFunction: lambda.Function;
  /** The custom domain, when `domainName` is given. */
  public readonly domain?: apigwv2.DomainName;
  /** The alarms (none with `alarms: false`); see the README for the list. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The dashboard, with `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: BooksApiProps = {}) {
    super(scope, id);
    checkProps(this, props);
    this.table = props.existingTable ?? new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const fn = (fnId: string, handler: string, route: keyof typeof ROUTE_ACTIONS) => {
      const actions = ROUTE_ACTIONS[route];
      const routeFn = new HandlerFunction(this, fnId, {
        codeDirectory: path.join(ASSETS, handler),
        environment: { TABLE_NAME: this.table.tableName },
        description: `books-api ${handler}: ${actions.join(', ')} on the books table`,
        logRetention: props.logRetention ?? LOG_RETENTION,
        options: props.functions,
        optionsOwner: 'BooksApi',
      });
      this.table.grant(routeFn.function, ...actions);
      // table.grant() grants the table only; a customer-managed key needs its own grant, on that key alone.
      const key = this.table.encryptionKey;
      if (key) {
        if (ROUTE_WRITES[route]) key.grantEncryptDecrypt(routeFn.function);
        else key.grantDecrypt(routeFn.function);
      }
      return routeFn.function;
    };
    this.listFunction = fn('ListBooks', 'list-books', 'list');
    this.createFunction = fn('CreateBook', 'create-book', 'create');
    this.readFunction = fn('GetBook', 'get-book', 'read');
    this.updateFunction = fn('UpdateBook', 'update-book', 'update');
    this.deleteFunction = fn('DeleteBook', 'delete-book', 'delete');

    const front = PatternHttpApi.create(this, {
      ...props,
      owner: 'BooksApi',
      corsAllowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.PUT, apigwv2.CorsHttpMethod.DELETE],
    });
    this.api = front.api;
    this.stage = front.stage;
    this.domain = front.domain;

    const route = (routePath: string, method: apigwv2.HttpMethod, handler: lambda.IFunction, integrationId: string) =>
      PatternHttpApi.addRoute(front, routePath, method, new HttpLambdaIntegration(integrationId, handler));
    route('/books', apigwv2.HttpMethod.GET, this.listFunction, 'ListBooks');
    route('/books', apigwv2.HttpMethod.POST, this.createFunction, 'CreateBook');
    route('/books/{id}', apigwv2.HttpMethod.GET, this.readFunction, 'GetBook');
    route('/books/{id}', apigwv2.HttpMethod.PUT, this.updateFunction, 'UpdateBook');
    route('/books/{id}', apigwv2.HttpMethod.DELETE, this.deleteFunction, 'DeleteBook');

    const monitoring = new PatternMonitoring(this, 'Monitoring', { ...props, owner: 'BooksApi' });
    if (front.watchedStageName) monitoring.watchHttpStage('API', this.api.apiId, front.watchedStageName);
    else monitoring.note('API', 'existingApi has no default stage and existingApiStageName is not given: no stage alarms.');
    for (const [name, handler] of [['ListBooks', this.listFunction], ['CreateBook', this.createFunction], ['GetBook', this.readFunction],
      ['UpdateBook', this.updateFunction], ['DeleteBook', this.deleteFunction]] as const) {
      monitoring.watchFunction(name, handler, handler.timeout!);
    }
    monitoring.watchTable('Table', this.table, TABLE_OPERATIONS);
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;
  }
}

function checkProps(scope: Construct, props: BooksApiProps) {
  const fail = (code: string, prop: string, problem: string, fix: string): never => configError(scope, code, 'BooksApi', prop, problem, fix);
  if (props.existingTable instanceof dynamodb.Table) {
    const { partitionKeys, sortKeys } = props.existingTable.schemaV2();
    const [partitionKey] = partitionKeys;
    if (partitionKeys.length !== 1 || partitionKey.name !== 'id' || partitionKey.type !== dynamodb.AttributeType.STRING || sortKeys.length) {
      const keys = (attrs: dynamodb.Attribute[]) => attrs.map((a) => `'${a.name}' (${a.type})`).join(' + ');
      const found = `partition key ${keys(partitionKeys)}${sortKeys.length ? ` and sort key ${keys(sortKeys)}` : ''}`;
      fail('ExistingTableSchema', 'existingTable', `the handlers read and write items by a string partition key 'id' alone; this table has ${found}`,
        "give a table with partitionKey { name: 'id', type: AttributeType.STRING } and no sort key, or drop existingTable for a new one");
    }
  }
  if (props.existingTable && (props.removalPolicy !== undefined || props.deletionProtection !== undefined)) {
    fail('OnlyForCreatedTable', props.removalPolicy !== undefined ? 'removalPolicy' : 'deletionProtection', 'applies to a table this construct creates, and existingTable was given',
      'set it on your table, or drop existingTable');
  }
}
