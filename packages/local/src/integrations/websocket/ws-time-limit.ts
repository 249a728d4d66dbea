import { WsOutcome, WsRequest, WsRouteIntegration } from './ws-request';

/**
 * WebSocket integrations time out at 50 ms to 29 s
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html):
 * past `TimeoutInMillis` (at most 29 s) the event counts as an integration failure.
 */
export const MAX_WS_INTEGRATION_TIMEOUT_MS = 29_000;

export class WsTimeLimitedIntegration implements WsRouteIntegration {
  constructor(private readonly inner: WsRouteIntegration, private readonly timeoutMs: number) {}

  public async handle(request: WsRequest): Promise<WsOutcome> {
    const limit = Math.min(this.timeoutMs, MAX_WS_INTEGRATION_TIMEOUT_MS);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<WsOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `the integration timed out after ${limit} ms` }), limit);
    });
    return Promise.race([this.inner.handle(request), timedOut]).finally(() => clearTimeout(timer));
  }
}
