import { Duration } from 'aws-cdk-lib';
import {
  HttpIntegrationSubtype,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  ParameterMapping,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import { withDefault } from '../private/mapping';
import { bindServiceCall, checkSubtype } from '../private/service-integration';
import { HttpTimeout } from '../private/timeout';

const OWNER = 'HttpKinesisIntegration';

/**
 * Properties of an HttpKinesisIntegration.
 */
export interface HttpKinesisIntegrationProps {
  /** The stream the route writes records to. */
  readonly stream: kinesis.IStream;

  /**
   * Which Kinesis API the route calls (Kinesis-PutRecord is the one API Gateway offers).
   * @default HttpIntegrationSubtype.KINESIS_PUT_RECORD
   */
  readonly subtype?: HttpIntegrationSubtype;

  /**
   * Request parameters of the PutRecord call. A missing `StreamName` is added (on a copy).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html#Kinesis-PutRecord
   * @default - `StreamName`, `Data` from `$request.body.Data` and `PartitionKey` from `$request.body.PartitionKey`
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * A role for API Gateway to assume instead of the one this integration creates.
   * @default - a new role trusted by apigateway.amazonaws.com
   */
  readonly credentialsRole?: iam.IRole;

  /**
   * How long API Gateway waits for Kinesis: 50 ms to 30 s.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
}

/**
 * Writes a record to a Kinesis data stream from an HTTP API route (not in aws-cdk-lib).
 */
export class HttpKinesisIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: HttpKinesisIntegrationProps) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const subtype = this.props.subtype ?? HttpIntegrationSubtype.KINESIS_PUT_RECORD;
    checkSubtype(options, OWNER, subtype, 'Kinesis-');
    const stream = this.props.stream;
    const mapping = this.props.parameterMapping
      ? withDefault(this.props.parameterMapping, 'StreamName', stream.streamName)
      : new ParameterMapping()
        .custom('StreamName', stream.streamName)
        .custom('Data', '$request.body.Data')
        .custom('PartitionKey', '$request.body.PartitionKey');
    return bindServiceCall(options, {
      owner: OWNER,
      subtype,
      statement: new iam.PolicyStatement({ sid: 'AllowKinesisPutRecord', actions: ['kinesis:PutRecord'], resources: [stream.streamArn] }),
      parameterMapping: mapping,
      role: this.props.credentialsRole,
      // A stream encrypted with a customer-managed key needs a data key per write.
      key: stream.encryptionKey,
      kmsActions: ['kms:GenerateDataKey'],
      timeout: this.timeout,
    });
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }
}
