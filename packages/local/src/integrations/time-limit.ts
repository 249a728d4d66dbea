import { ApiRequest, ApiResponse, messageResponse, RouteIntegration } from './api-request';

/**
 * Bounds any integration by its `TimeoutInMillis` (HTTP APIs: 50 ms to 30 s,
 * default 30 s, https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 * AWS documents the limit, not the answer past it: HTTP APIs are observed
 * to answer 503 `{"message":"Service Unavailable"}`, which the runner sends.
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
    const started = Date.now();
    const outcome = await Promise.race([this.inner.handle(request), timedOut]).finally(() => clearTimeout(timer));
    // The integration's own time, for $context.integrationLatency (an authorizer's time is not in it).
    if (outcome !== 'timeout') return { ...outcome, integrationLatencyMs: Date.now() - started };
    this.log(`${request.routeKey} (${request.requestId}): the integration timed out after ${this.timeoutMs} ms`);
    return messageResponse(503, 'Service Unavailable', { error: `the integration timed out after ${this.timeoutMs} ms` });
  }
}
