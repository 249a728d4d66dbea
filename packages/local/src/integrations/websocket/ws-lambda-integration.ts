import { wsLambdaEvent } from './ws-lambda-events';
import { WsOutcome, WsRequest, WsRouteIntegration } from './ws-request';
import { FunctionPool } from '../../functions/function-pool';

/**
 * A WebSocket route's Lambda proxy integration: the event in AWS's WebSocket
 * shape; the result's `statusCode` decides a `$connect` handshake (non-2xx
 * refuses it with that status), and its `body` is what a two-way route sends
 * back to the client
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-response.html);
 * a `$connect` result's `Sec-WebSocket-Protocol` header picks the subprotocol
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html).
 * A thrown error or a timeout is an integration failure.
 */
export class WsLambdaIntegration implements WsRouteIntegration {
  constructor(private readonly pool: FunctionPool, private readonly functionArn: string) {}

  public async handle(request: WsRequest): Promise<WsOutcome> {
    const outcome = await this.pool.invoke(this.functionArn, wsLambdaEvent(request));
    if (!outcome.ok) return { ok: false, reason: `${outcome.errorType}: ${outcome.errorMessage}` };
    const result = outcome.payload as any;
    // A result without a status (null, a bare value) counts as 200, as for HTTP API proxy results.
    const statusCode = typeof result?.statusCode === 'number' ? result.statusCode : 200;
    const body = result && typeof result === 'object' && 'body' in result ? result.body : undefined;
    const headers = resultHeaders(result);
    return { ok: true, statusCode, headers, reply: body === undefined || body === null ? undefined : typeof body === 'string' ? body : JSON.stringify(body) };
  }
}

/** A result's `headers`, with the first value of each `multiValueHeaders` name it lacks. */
function resultHeaders(result: any): Record<string, string> | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const headers: Record<string, string> = {};
  const multi = typeof result.multiValueHeaders === 'object' && result.multiValueHeaders !== null ? result.multiValueHeaders : {};
  for (const [name, values] of Object.entries(multi)) if (Array.isArray(values) && values.length) headers[name] = String(values[0]);
  const single = typeof result.headers === 'object' && result.headers !== null ? result.headers : {};
  for (const [name, value] of Object.entries(single)) headers[name] = String(value);
  return Object.keys(headers).length ? headers : undefined;
}
