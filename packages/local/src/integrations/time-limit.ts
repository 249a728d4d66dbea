import { ApiRequest, ApiResponse, messageResponse, RouteIntegration } from './api-request';

/**
 * Bounds any integration by its `TimeoutInMillis` (HTTP APIs: 50 ms to 30 s,
 * default 30 s, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 * Past it the client gets 503 `{"message":"Service Unavailable"}`, which is
 * what HTTP APIs answer for an integration timeout
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-lambda.html).
 * Only the wait ends: a Lambda function runs on to its own timeout, a state machine on to its end, as on AWS.
 */
export class TimeLimitedIntegration implements RouteIntegration {
  constructor(
    private readonly inner: RouteIntegration,
    private readonly timeoutMs: number,
    private readonly log: (line: string) => void,
  ) {}

  public async handle(request: ApiRequest): Promise<ApiResponse> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
    });
    const outcome = await Promise.race([this.inner.handle(request), timedOut]).finally(() => clearTimeout(timer));
    if (outcome !== 'timeout') return outcome;
    this.log(`${request.routeKey} (${request.requestId}): the integration timed out after ${this.timeoutMs} ms`);
    return messageResponse(503, 'Service Unavailable', { error: `the integration timed out after ${this.timeoutMs} ms` });
  }
}
