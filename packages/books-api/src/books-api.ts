import * as path from 'node:path';
import { DefaultHttpStage, HttpLambdaIntegration } from '@apigw-blueprints/integrations';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Pre-bundled handler code, shipped in the package (assets/<handler>/index.js). */
const ASSETS = path.join(__dirname, '..', 'assets');

/**
 * Properties of BooksApi.
 */
export interface BooksApiProps {
  /**
   * What happens to the table when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A books catalogue on an HTTP API, Lambda and DynamoDB.
 */
export class BooksApi extends Construct {
  /** The HTTP API. */
  public readonly api: HttpApi;
  /** The books table (partition key `id`). */
  public readonly table: dynamodb.Table;
  /** The function that answers GET /books. */
  public readonly listFunction: lambda.Function;

  constructor(scope: Construct, id: string, props: BooksApiProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.listFunction = new lambda.Function(this, 'ListBooks', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(path.join(ASSETS, 'list-books')),
      environment: { TABLE_NAME: this.table.tableName },
      timeout: Duration.seconds(10),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: new logs.LogGroup(this, 'ListBooksLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    this.table.grant(this.listFunction, 'dynamodb:Scan');

    this.api = new HttpApi(this, 'Api', { createDefaultStage: false });
    new DefaultHttpStage(this, 'Stage', { httpApi: this.api });
    this.api.addRoutes({
      path: '/books',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('ListBooks', this.listFunction),
    });
  }
}
