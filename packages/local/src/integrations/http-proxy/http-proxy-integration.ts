import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ApiRequest, ApiResponse, messageResponse, RouteIntegration } from '../api-request';
import { evaluateMapping } from '../mapping/mapping-expression';
import { applyRequestParameters, applyResponseParameters, OutgoingRequest, QueryPair } from '../mapping/parameter-modifiers';

/** Where an HTTP integration sends requests. */
export type HttpProxyTarget =
  /** `HTTP_PROXY` to a URL: the integration's URI, with `{param}` and `${stageVariables.x}` filled per request. */
  | { readonly kind: 'url'; readonly uri: string }
  /** A private integration: the URL given with `--target`, the request's own path. */
  | { readonly kind: 'private'; readonly baseUrl: string };

/** What an HTTP integration maps, as the template holds it. */
export interface HttpProxyMapping {
  readonly requestParameters: Record<string, string>;
  readonly responseParameters: Record<string, Record<string, string>>;
  /** `IntegrationMethod`: the method the backend is called with; `ANY` passes the client's on. */
  readonly method: string;
  /** `TimeoutInMillis`: the backend request is abandoned (and its socket closed) past it. */
  readonly timeoutMs: number;
}

// Connection-level headers are the hop's own, never forwarded (RFC 9110, 7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host', 'content-length']);

/**
 * An `HTTP_PROXY` integration, to a public URL or through a VPC link
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-private.html):
 * headers, query (as sent, byte for byte, unless mapping changes it) and
 * body go on as received, with the integration's parameter mapping applied
 * both ways; the method is the client's for an `ANY` integration, else the
 * integration's `IntegrationMethod`. A URL integration's path is its
 * URI's; a private one's is the request's path, as sent (stage included for
 * a named stage; `overwrite:path` changes it). A backend that cannot be
 * reached is 503 `{"message":"Service Unavailable"}` (the runner's choice:
 * AWS documents no body for it).
 */
export class HttpProxyIntegration implements RouteIntegration {
  constructor(
    private readonly target: HttpProxyTarget,
    private readonly mapping: HttpProxyMapping,
    private readonly log: (line: string) => void,
  ) {}

  public async handle(request: ApiRequest): Promise<ApiResponse> {
    const base = new URL(this.target.kind === 'url' ? this.uriFor(request) : this.target.baseUrl);
    const out: OutgoingRequest = {
      path: this.target.kind === 'url' ? base.pathname : request.rawPath,
      query: [...queryPairs(base.search.slice(1)), ...queryPairs(request.rawQueryString)],
      headers: request.headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())).map(([n, v]): [string, string] => [n, v]),
    };
    applyRequestParameters(this.mapping.requestParameters, request, out);
    const search = out.query.map(([n, v, raw]) => raw ?? `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
    const method = !this.mapping.method || this.mapping.method === 'ANY' ? request.method : this.mapping.method;
    let response: ApiResponse;
    try {
      response = await send(base, `${out.path}${search ? `?${search}` : ''}`, method, out.headers, request.body, this.mapping.timeoutMs);
    } catch (error) {
      this.log(`${request.routeKey} (${request.requestId}): ${base.origin} did not answer: ${(error as Error).message}`);
      return messageResponse(503, 'Service Unavailable', { error: (error as Error).message });
    }
    const mapped = applyResponseParameters(this.mapping.responseParameters, request, response);
    return { ...mapped, integration: { status: response.statusCode, backendStatus: response.statusCode } };
  }

  private uriFor(request: ApiRequest): string {
    const uri = (this.target as { uri: string }).uri;
    // `${stageVariables.x}` first, then the route's path parameters (`{proxy}` for `{proxy+}`).
    return evaluateMapping(uri, request)!.replace(/\{([^}]+?)\+?\}/g, (whole, name: string) => {
      const value = request.pathParameters[name];
      return value === undefined ? whole : value.split('/').map(encodeURIComponent).join('/');
    });
  }
}

function send(base: URL, path: string, method: string, headers: Array<[string, string]>, body: Buffer, timeoutMs: number): Promise<ApiResponse> {
  const flat: string[] = ['host', base.host];
  for (const [name, value] of headers) flat.push(name, value);
  if (body.length > 0 || !['GET', 'HEAD'].includes(method)) flat.push('content-length', String(body.length));
  const request = base.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request({ hostname: base.hostname, port: base.port, method, path, headers: flat }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          if (!HOP_BY_HOP.has(res.rawHeaders[i].toLowerCase())) pairs.push([res.rawHeaders[i], res.rawHeaders[i + 1]]);
        }
        resolve({ statusCode: res.statusCode ?? 502, headers: pairs, body: Buffer.concat(chunks) });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** `a=1&b=2` as decoded name/value pairs with their raw text, in order. */
function queryPairs(raw: string): QueryPair[] {
  if (!raw) return [];
  return raw.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    return [decode(eq < 0 ? pair : pair.slice(0, eq)), eq < 0 ? '' : decode(pair.slice(eq + 1)), pair];
  });
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
