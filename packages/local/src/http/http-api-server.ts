import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { SecureContext } from 'node:tls';
import { accessLogLine } from './access-log';
import { Cors } from './cors';
import { answerClientError, HEADER_QUOTA_MESSAGE, MAX_REQUEST_LINE_AND_HEADER_VALUES, requestLineAndHeaderValueBytes } from './header-quota';
import { RouteEntry, RouteTable } from './route-table';
import { Clock, StageThrottle } from './throttle';
import { ApiRequest, ApiResponse, messageResponse, RouteIntegration } from '../integrations/api-request';
import { CorsModel, ThrottleModel } from '../model/http-apis';
import { PlainOrTlsPort } from '../services/plain-or-tls-port';

/**
 * HTTP APIs accept payloads up to 10 MB
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 * AWS documents no response for a larger one; the runner answers
 * 413 `{"message":"Request Entity Too Large"}`.
 */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** A stage of the API, served under `/<name>` (or at the root for `$default`). */
export interface ServedStage {
  readonly name: string;
  readonly stageVariables: Record<string, string>;
  /** `DefaultRouteSettings` throttling. @default - not throttled */
  readonly defaultThrottle?: ThrottleModel;
  /** `RouteSettings` throttling by route key. @default - none */
  readonly routeThrottles?: Record<string, ThrottleModel>;
  /** `AccessLogSettings.Format`: one line per request in it. @default - the runner's own request line */
  readonly accessLogFormat?: string;
}

/** What one HTTP API server serves. */
export interface HttpApiServerOptions {
  readonly apiId: string;
  readonly accountId: string;
  readonly stages: ServedStage[];
  /** The routes, if known when the server is made (else given later with `serveRoutes`). */
  readonly routes?: Array<RouteEntry<RouteIntegration>>;
  /** The API's `CorsConfiguration`. @default - no CORS handling */
  readonly cors?: CorsModel;
  /** The throttle buckets' clock (ms). @default Date.now */
  readonly clock?: Clock;
  /** Where request lines and integration failures go. @default console.log */
  readonly log?: (line: string) => void;
  /** The port also speaks TLS with this identity. @default - plain HTTP only */
  readonly tls?: SecureContext;
}

/**
 * One HTTP API on its own loopback port. Selects the stage by the first path
 * segment, else the `$default` stage; routes the request; hands it to the
 * route's integration; answers as API Gateway does when nothing matches
 * (404 `{"message":"Not Found"}`,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
 */
export class HttpApiServer {
  private readonly server: Server;
  private readonly port: PlainOrTlsPort;
  private routes: RouteTable<RouteIntegration>;
  private readonly log: (line: string) => void;
  private readonly cors?: Cors;
  private readonly throttles = new Map<string, StageThrottle>();

  constructor(private readonly options: HttpApiServerOptions) {
    this.routes = new RouteTable(options.routes ?? []);
    this.log = options.log ?? ((line) => console.log(line));
    this.cors = options.cors ? new Cors(options.cors) : undefined;
    const clock = options.clock ?? Date.now;
    for (const stage of options.stages) {
      this.throttles.set(stage.name, new StageThrottle(stage.defaultThrottle, stage.routeThrottles ?? {}, clock));
    }
    // Well past the quota, so that the runner, not Node.js's parser, answers a request just over it.
    this.server = createServer({ maxHeaderSize: 8 * MAX_REQUEST_LINE_AND_HEADER_VALUES }, (req, res) => {
      this.serve(req, res).catch((error: Error) => {
        // Never let one request take the runner down.
        this.log(`${req.method} ${req.url}: ${error.stack ?? error.message}`);
        if (!res.headersSent) write(res, messageResponse(500, 'Internal Server Error'), apigwRequestId());
        else res.destroy();
      });
    });
    // Keep-alive sockets would hold `close()` open; API Gateway closes idle ones itself.
    this.server.keepAliveTimeout = 5_000;
    this.server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => answerClientError(error, socket, apigwRequestId(), this.log));
    this.port = new PlainOrTlsPort(this.server, options.tls);
  }

  /** Listens on 127.0.0.1:`port` (0: any free port) and returns the port. */
  public listen(port: number): Promise<number> {
    return this.port.listen(port);
  }

  /**
   * Replaces the routes. The runner listens first, so that its ports are known
   * when it resolves the functions' environment, then gives the routes.
   */
  public serveRoutes(routes: Array<RouteEntry<RouteIntegration>>): void {
    this.routes = new RouteTable(routes);
  }

  public close(): Promise<void> {
    return this.port.close();
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = apigwRequestId();
    let response: ApiResponse;
    let request: ApiRequest | undefined;
    let integrationLatencyMs: number | undefined;
    try {
      const quotaBytes = requestLineAndHeaderValueBytes(req);
      if (quotaBytes > MAX_REQUEST_LINE_AND_HEADER_VALUES) {
        // Before the body or routing: API Gateway refuses the request as it arrives.
        req.resume();
        write(res, messageResponse(431, HEADER_QUOTA_MESSAGE), requestId);
        this.log(`${req.method} ${req.url?.slice(0, 100)} -> 431 (${quotaBytes} bytes of request line and header values)`);
        return;
      }
      const body = await readBody(req);
      request = this.request(req, body ?? Buffer.alloc(0), requestId, started);
      const headers = new Map(request?.headers.map(([n, v]) => [n.toLowerCase(), v]));
      if (!body) {
        response = messageResponse(413, 'Request Entity Too Large');
      } else if (!request) {
        response = messageResponse(404, 'Not Found');
      } else if (this.cors && Cors.isPreflight(request.method, headers)) {
        // Preflights never reach routes, throttles or authorizers (http-api-cors.html).
        response = this.cors.preflight(headers);
      } else {
        const match = this.routes.match(request.method, request.routePath);
        if (!match) {
          response = messageResponse(404, 'Not Found');
        } else {
          request = { ...request, routeKey: match.entry.routeKey, pathParameters: match.pathParameters };
          if (!this.throttles.get(request.stage)!.admit(match.entry.routeKey)) {
            response = messageResponse(429, 'Too Many Requests');
          } else {
            response = await match.entry.value.handle(request);
            integrationLatencyMs = response.integrationLatencyMs;
          }
          if (this.cors) response = this.cors.decorate(response, headers);
        }
      }
    } catch (error) {
      this.log(`${req.method} ${req.url} (${requestId}): ${(error as Error).stack ?? error}`);
      response = messageResponse(500, 'Internal Server Error');
    }
    write(res, response, requestId);
    const stage = this.options.stages.find((s) => s.name === request?.stage);
    if (request && stage?.accessLogFormat) {
      const timings = { responseLatencyMs: Date.now() - started, integrationLatencyMs };
      this.log(accessLogLine(stage.accessLogFormat, { ...request, authorizer: response.authorizer }, response, timings));
    } else {
      const target = response.integration?.target ? `: ${response.integration.target}` : '';
      this.log(`${req.method} ${req.url} -> ${response.statusCode} (${request?.routeKey ?? '-'}${target}, ${Date.now() - started} ms)`);
    }
  }

  /** The request as the stage sees it, before routing; undefined when no stage serves the path. */
  private request(req: IncomingMessage, body: Buffer, requestId: string, timeEpoch: number): ApiRequest | undefined {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQueryString = q < 0 ? '' : url.slice(q + 1);
    const first = safeDecode(rawPath.split('/')[1] ?? '');
    const named = this.options.stages.find((s) => s.name !== '$default' && s.name === first);
    const stage = named ?? this.options.stages.find((s) => s.name === '$default');
    if (!stage) return undefined;
    const afterStage = rawPath.indexOf('/', 1);
    const routePath = !named ? rawPath : afterStage < 0 ? '/' : rawPath.slice(afterStage);
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    const host = req.headers.host ?? '127.0.0.1';
    const clientHeaderCount = headers.length;
    // Headers API Gateway adds before the integration sees the request.
    headers.push(['x-amzn-trace-id', `Root=1-${Math.floor(timeEpoch / 1000).toString(16)}-${randomBytes(12).toString('hex')}`]);
    headers.push(['x-forwarded-for', req.socket.remoteAddress ?? '127.0.0.1']);
    headers.push(['x-forwarded-port', String(req.socket.localPort ?? '')]);
    // AWS always says https; here the scheme the client used, so that links built from it reach the runner.
    headers.push(['x-forwarded-proto', (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http']);
    return {
      method,
      rawPath,
      routePath,
      rawQueryString,
      headers,
      body,
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      protocol: `HTTP/${req.httpVersion}`,
      requestId,
      timeEpoch,
      // The Host the client used, so that links a handler builds from it work locally.
      api: { id: this.options.apiId, domainName: host, accountId: this.options.accountId },
      stage: stage.name,
      stageVariables: stage.stageVariables,
      routeKey: '-',
      pathParameters: {},
      clientHeaderCount,
    };
  }
}

/** The body, or undefined past the payload limit (the rest is discarded). */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared > MAX_PAYLOAD_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) over = true;
      if (!over) chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function write(res: ServerResponse, response: ApiResponse, requestId: string): void {
  const flat: string[] = [];
  for (const [name, value] of response.headers) {
    if (['content-length', 'transfer-encoding', 'connection'].includes(name.toLowerCase())) continue;
    flat.push(name, value);
  }
  flat.push('apigw-requestid', requestId, 'content-length', String(response.body.length));
  res.writeHead(response.statusCode, flat);
  res.end(response.body);
}

/** An id of the shape API Gateway's `apigw-requestid` has (`Ab1cDEFGoAMEb2Q=`). */
function apigwRequestId(): string {
  return randomBytes(11).toString('base64');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
