import { ApiResponse } from '../integrations/api-request';
import { CorsModel } from '../model/http-apis';

/**
 * An HTTP API's CORS configuration at work
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html):
 * API Gateway answers preflight requests itself, even without an OPTIONS
 * route, adds the configured headers to integration responses, and ignores
 * CORS headers the backend returns. AWS documents neither the preflight's
 * status nor the exact header set; the runner's choices: 204 with
 * allow-origin (the request's origin, or `*` when all are allowed),
 * allow-methods, allow-headers, max-age and allow-credentials; an origin the
 * configuration does not allow gets no CORS headers at all, so the browser
 * refuses the call.
 */
export class Cors {
  /** Whether a request is a preflight: OPTIONS with Origin and Access-Control-Request-Method. */
  public static isPreflight(method: string, headers: Map<string, string>): boolean {
    return method === 'OPTIONS' && headers.has('origin') && headers.has('access-control-request-method');
  }

  constructor(private readonly config: CorsModel) {}

  /** The answer to a preflight request. */
  public preflight(headers: Map<string, string>): ApiResponse {
    const out: Array<[string, string]> = [];
    const origin = this.allowedOrigin(headers.get('origin'));
    if (origin) {
      out.push(['access-control-allow-origin', origin]);
      if (this.config.allowCredentials) out.push(['access-control-allow-credentials', 'true']);
      if (this.config.allowMethods.length) out.push(['access-control-allow-methods', this.config.allowMethods.join(',')]);
      if (this.config.allowHeaders.length) out.push(['access-control-allow-headers', this.config.allowHeaders.join(',')]);
      if (this.config.maxAge !== undefined) out.push(['access-control-max-age', String(this.config.maxAge)]);
    }
    return { statusCode: 204, headers: out, body: Buffer.alloc(0) };
  }

  /** An integration's response with the backend's CORS headers replaced by the configured ones. */
  public decorate(response: ApiResponse, headers: Map<string, string>): ApiResponse {
    const kept = response.headers.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
    const origin = this.allowedOrigin(headers.get('origin'));
    if (origin) {
      kept.push(['access-control-allow-origin', origin]);
      if (this.config.allowCredentials) kept.push(['access-control-allow-credentials', 'true']);
      if (this.config.exposeHeaders.length) kept.push(['access-control-expose-headers', this.config.exposeHeaders.join(',')]);
    }
    return { ...response, headers: kept };
  }

  /** `*`, the request's origin when the configuration allows it (exactly or by a `https://*` pattern), or nothing. */
  private allowedOrigin(origin: string | undefined): string | undefined {
    if (!origin) return undefined;
    for (const allowed of this.config.allowOrigins) {
      if (allowed === '*') return this.config.allowCredentials ? origin : '*';
      if (allowed === origin) return origin;
      if (allowed.endsWith('*') && origin.startsWith(allowed.slice(0, -1))) return origin;
    }
    return undefined;
  }
}
