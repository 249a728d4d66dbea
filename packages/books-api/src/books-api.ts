import * as path from 'node:path';
import { CorsDefaults, DefaultHttpStage, HandlerFunction, HttpLambdaIntegration } from '@apigw-blueprints/integrations';
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LOG_RETENTION, ROUTE_ACTIONS } from './books-api-defaults';

// Handlers are bundled at build time into assets/<handler>/index.js, shipped in
// the package; the same relative path works from src/ (tests) and lib/.
const ASSETS = path.join(__dirname, '..', 'assets');

/**
 * Properties of BooksApi.
 */
export interface BooksApiProps {
  /**
   * An existing books table (partition key `id`, a string) instead of a new one.
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
   * Retention of the API's access log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;

  /**
   * Default route throttling of the stage.
   * @default - StageThrottle defaults: 100 requests per second, bursts of 200
   */
  readonly throttle?: apigwv2.ThrottleSettings;

  /**
   * Browser origins allowed by CORS (e.g. `https://app.example.com`).
   * @default - none: browsers on other origins are refused
   */
  readonly corsAllowOrigins?: string[];

  /**
   * An authorizer applied to every route.
   * @default - no authorizer: anyone with the URL can call the API
   */
  readonly authorizer?: apigwv2.IHttpRouteAuthorizer;

  /**
   * A custom domain name for the API (give `certificate` too).
   * @default - the execute-api URL only
   */
  readonly domainName?: string;

  /**
   * The ACM certificate of `domainName`, in the stack's region.
   * @default - none
   */
  readonly certificate?: acm.ICertificate;
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
  /** Its stage, with access logs and throttling. */
  public readonly stage: DefaultHttpStage;
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

    const fn = (fnId: string, handler: string, actions: readonly string[]) => {
      const routeFn = new HandlerFunction(this, fnId, {
        codeDirectory: path.join(ASSETS, handler),
        environment: { TABLE_NAME: this.table.tableName },
        description: `books-api ${handler}: ${actions.join(', ')} on the books table`,
        logRetention: props.logRetention ?? LOG_RETENTION,
      });
      this.table.grant(routeFn.function, ...actions);
      return routeFn.function;
    };
    this.listFunction = fn('ListBooks', 'list-books', ROUTE_ACTIONS.list);
    this.createFunction = fn('CreateBook', 'create-book', ROUTE_ACTIONS.create);
    this.readFunction = fn('GetBook', 'get-book', ROUTE_ACTIONS.read);
    this.updateFunction = fn('UpdateBook', 'update-book', ROUTE_ACTIONS.update);
    this.deleteFunction = fn('DeleteBook', 'delete-book', ROUTE_ACTIONS.delete);

    this.api = new apigwv2.HttpApi(this, 'Api', {
      createDefaultStage: false,
      corsPreflight: CorsDefaults.restrictive(props.corsAllowOrigins ?? [], [
        apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST, apigwv2.CorsHttpMethod.PUT, apigwv2.CorsHttpMethod.DELETE,
      ]),
    });
    if (props.domainName && props.certificate) {
      this.domain = new apigwv2.DomainName(this, 'Domain', { domainName: props.domainName, certificate: props.certificate });
    }
    this.stage = new DefaultHttpStage(this, 'Stage', {
      httpApi: this.api,
      throttle: props.throttle,
      accessLogRetention: props.accessLogRetention,
      domainMapping: this.domain ? { domainName: this.domain } : undefined,
    });

    const route = (routePath: string, method: apigwv2.HttpMethod, handler: lambda.IFunction, integrationId: string) => {
      const integration = new HttpLambdaIntegration(integrationId, handler);
      const [added] = this.api.addRoutes({ path: routePath, methods: [method], integration, authorizer: props.authorizer });
      if (!props.authorizer) {
        Validations.of(added).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'No authorizer was given (prop `authorizer`): the deployer chose a public catalogue',
        });
      }
    };
    route('/books', apigwv2.HttpMethod.GET, this.listFunction, 'ListBooks');
    route('/books', apigwv2.HttpMethod.POST, this.createFunction, 'CreateBook');
    route('/books/{id}', apigwv2.HttpMethod.GET, this.readFunction, 'GetBook');
    route('/books/{id}', apigwv2.HttpMethod.PUT, this.updateFunction, 'UpdateBook');
    route('/books/{id}', apigwv2.HttpMethod.DELETE, this.deleteFunction, 'DeleteBook');
  }
}

function checkProps(scope: Construct, props: BooksApiProps) {
  const fail = (prop: string, problem: string, fix: string): never => {
    throw new Error(`[BooksApi] ${prop}: ${problem}. Fix: ${fix}. (at ${scope.node.path})`);
  };
  if (props.existingTable && (props.removalPolicy !== undefined || props.deletionProtection !== undefined)) {
    fail(props.removalPolicy !== undefined ? 'removalPolicy' : 'deletionProtection', 'applies to a table this construct creates, and existingTable was given',
      'set it on your table, or drop existingTable');
  }
  if (Boolean(props.domainName) !== Boolean(props.certificate)) {
    fail(props.domainName ? 'certificate' : 'domainName', 'a custom domain needs both domainName and certificate', 'give both, or neither');
  }
}
