import { FunctionPool } from '../../functions/function-pool';
import { ApiRequest, ApiResponse, messageResponse, RouteIntegration } from '../api-request';
import { eventV1 } from './event-v1';
import { eventV2 } from './event-v2';
import { MalformedResult, responseV1, responseV2 } from './response';

/** What the integration logs: errors that the client only sees as a 500. */
export type IntegrationLog = (line: string) => void;

/**
 * An `AWS_PROXY` integration with a Lambda function: the request as a
 * payload format 1.0 or 2.0 event, the result mapped back. A failed
 * invocation (a throw, a timeout) or a malformed result is
 * 500 `{"message":"Internal Server Error"}`, as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html
 * describes; the reason goes to the runner's output, never to the client.
 */
export class LambdaProxyIntegration implements RouteIntegration {
  constructor(
    private readonly pool: FunctionPool,
    private readonly functionArn: string,
    private readonly payloadFormatVersion: '1.0' | '2.0',
    private readonly routePath: string,
    private readonly log: IntegrationLog,
  ) {}

  public async handle(request: ApiRequest): Promise<ApiResponse> {
    const v2 = this.payloadFormatVersion === '2.0';
    const invocation = this.pool.invoke(this.functionArn, v2 ? eventV2(request) : eventV1(request, this.routePath));
    const outcome = await invocation;
    // An event past Lambda's 6 MB never reaches the function; AWS documents the Lambda limit, not
    // the HTTP API's answer to it: the runner's choice is a 413 the client can act on.
    if (!outcome.ok && outcome.tooLarge) {
      return messageResponse(413, 'Request Entity Too Large', { status: 413, error: `${outcome.errorType}: ${outcome.errorMessage}`, target: this.target });
    }
    // Lambda's Invoke answers 200 even for a function error (with X-Amz-Function-Error).
    if (!outcome.ok) return this.internalError(`${outcome.errorType}: ${outcome.errorMessage}`);
    try {
      const response = v2 ? responseV2(outcome.payload) : responseV1(outcome.payload);
      return { ...response, integration: { status: 200, backendStatus: response.statusCode, target: this.target } };
    } catch (error) {
      if (!(error instanceof MalformedResult)) throw error;
      this.log(`${request.routeKey} (${request.requestId}): malformed Lambda proxy response: ${error.message}`);
      return this.internalError(`malformed Lambda proxy response: ${error.message}`);
    }
  }

  /** The function invoked, as the request line names it: its name, and its version or alias if the integration has one. */
  private get target(): string {
    return `function ${this.functionArn.slice(this.functionArn.indexOf(':function:') + ':function:'.length)}`;
  }

  private internalError(reason: string): ApiResponse {
    return messageResponse(500, 'Internal Server Error', { status: 200, error: reason, target: this.target });
  }
}
