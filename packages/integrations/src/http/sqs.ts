import { Duration } from 'aws-cdk-lib';
import {
  HttpIntegrationSubtype,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  ParameterMapping,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { withDefault } from '../private/mapping';
import { bindServiceCall, checkSubtype } from '../private/service-integration';
import { HttpTimeout } from '../private/timeout';

const OWNER = 'HttpSqsIntegration';

/**
 * Properties of an HttpSqsIntegration.
 */
export interface HttpSqsIntegrationProps {
  /** The queue the route sends to, receives from, deletes from or purges. */
  readonly queue: sqs.IQueue;

  /**
   * Which SQS API the route calls.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
   * @default HttpIntegrationSubtype.SQS_SEND_MESSAGE
   */
  readonly subtype?: HttpIntegrationSubtype;

  /**
   * Request parameters of the SQS call. A missing `QueueUrl` is added (on a copy).
   * @default - `QueueUrl`, plus `MessageBody` from `$request.body.MessageBody` (send) or
   * `ReceiptHandle` from `$request.body.ReceiptHandle` (delete)
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * A role for API Gateway to assume instead of the one this integration creates.
   * @default - a new role trusted by apigateway.amazonaws.com
   */
  readonly credentialsRole?: iam.IRole;

  /**
   * How long API Gateway waits for SQS: 50 ms to 30 s.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
}

const ACTIONS: Record<string, string> = {
  [HttpIntegrationSubtype.SQS_SEND_MESSAGE]: 'sqs:SendMessage',
  [HttpIntegrationSubtype.SQS_RECEIVE_MESSAGE]: 'sqs:ReceiveMessage',
  [HttpIntegrationSubtype.SQS_DELETE_MESSAGE]: 'sqs:DeleteMessage',
  [HttpIntegrationSubtype.SQS_PURGE_QUEUE]: 'sqs:PurgeQueue',
};
// SQS server-side encryption with a customer-managed key: sending needs a data
// key, receiving needs to decrypt it.
const KMS_ACTIONS: Record<string, string[]> = {
  [HttpIntegrationSubtype.SQS_SEND_MESSAGE]: ['kms:GenerateDataKey', 'kms:Decrypt'],
  [HttpIntegrationSubtype.SQS_RECEIVE_MESSAGE]: ['kms:Decrypt'],
};

/**
 * Sends to, receives from, deletes from or purges an SQS queue from an HTTP API route.
 */
export class HttpSqsIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: HttpSqsIntegrationProps) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const subtype = this.props.subtype ?? HttpIntegrationSubtype.SQS_SEND_MESSAGE;
    checkSubtype(options, OWNER, subtype, 'SQS-');
    return bindServiceCall(options, {
      owner: OWNER,
      subtype,
      statement: new iam.PolicyStatement({ sid: 'AllowSqsExecution', actions: [ACTIONS[subtype]], resources: [this.props.queue.queueArn] }),
      parameterMapping: this.mapping(subtype),
      role: this.props.credentialsRole,
      key: this.props.queue.encryptionMasterKey,
      kmsActions: KMS_ACTIONS[subtype],
      timeout: this.timeout,
    });
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }

  private mapping(subtype: HttpIntegrationSubtype): ParameterMapping {
    if (this.props.parameterMapping) return withDefault(this.props.parameterMapping, 'QueueUrl', this.props.queue.queueUrl);
    const mapping = new ParameterMapping().custom('QueueUrl', this.props.queue.queueUrl);
    if (subtype === HttpIntegrationSubtype.SQS_SEND_MESSAGE) mapping.custom('MessageBody', '$request.body.MessageBody');
    if (subtype === HttpIntegrationSubtype.SQS_DELETE_MESSAGE) mapping.custom('ReceiptHandle', '$request.body.ReceiptHandle');
    return mapping;
  }
}
