import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse, STATUS_CODES } from 'node:http';
import { Socket } from 'node:net';
import { SecureContext } from 'node:tls';
import { WebSocket, WebSocketServer } from 'ws';
import { serveConnectionsApi } from './connections-api';
import { limitFrameSize, MAX_MESSAGE_BYTES } from './frame-limits';
import { LiveConnection } from './live-connection';
import { subprotocolProblem, validSubprotocolOffer } from './subprotocols';
import { WsVerdict } from '../../integrations/authorizers/ws-lambda-authorizer';
import { evaluateSelection } from '../../integrations/websocket/selection-expression';
import { wsContext, WsConnectionInfo, WsOutcome, WsRequest, WsRouteIntegration } from '../../integrations/websocket/ws-request';
import { ThrottleModel } from '../../model/http-apis';
import { fromWebPage, refuseWebPage } from '../../services/browser-requests';
import { PlainOrTlsPort } from '../../services/plain-or-tls-port';
import { fillAccessLogFormat } from '../access-log';
import { Clock, StageThrottle } from '../throttle';

/** A WebSocket route as the server runs it. */
export interface WsRouteEntry {
  readonly integration: WsRouteIntegration;
  /** With a route response: the integration's answer goes back to the client. */
  readonly twoWay: boolean;
  /** `$connect` only: the Lambda authorizer or the IAM check that decides the handshake first. @default - none */
  readonly authorizer?: { authorize(request: WsRequest): Promise<WsVerdict> };
}

/** A stage of a WebSocket API, served at `/<name>`. */
export interface WsServedStage {
  readonly name: string;
  readonly stageVariables: Record<string, string>;
  readonly accessLogFormat?: string;
  /** `DefaultRouteSettings` throttling. @default - not throttled */
  readonly defaultThrottle?: ThrottleModel;
  /** `RouteSettings` throttling by route key. @default - none */
  readonly routeThrottles?: Record<string, ThrottleModel>;
}

/** How a connection ended: its close code, and whether `$disconnect` was sent. */
export interface ConnectionEnd {
  readonly connectionId: string;
  readonly code: number;
  /** False for a connection dropped without `$disconnect`, or an API without that route. */
  readonly disconnectSent: boolean;
}

/** What one WebSocket API server serves. */
export interface WebSocketApiServerOptions {
  readonly apiId: string;
  readonly accountId: string;
  readonly stages: WsServedStage[];
  readonly routeSelectionExpression: string;
  /**
   * Idle time after which API Gateway closes a connection, and a connection's
   * longest life (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
   * @default 10 minutes and 2 hours
   */
  readonly idleTimeoutMs?: number;
  readonly maxLifetimeMs?: number;
  /** The throttle buckets' clock (ms). @default Date.now */
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
  /** The port also speaks TLS with this identity (wss, and https for `@connections`). @default - plain only */
  readonly tls?: SecureContext;
}

const TEN_MINUTES = 10 * 60 * 1000;
const TWO_HOURS = 2 * 60 * 60 * 1000;

/**
 * One WebSocket API on its own loopback port: clients connect at
 * `ws://127.0.0.1:<port>/<stage>`; `$connect` runs before the handshake
 * completes; each text message goes to the route its
 * `RouteSelectionExpression` selects (else `$default`); `$disconnect` runs
 * after every close; the stage's `@connections` API answers on the same port.
 */
export class WebSocketApiServer {
  private readonly server: Server;
  private readonly port: PlainOrTlsPort;
  // ws never picks a subprotocol itself: the $connect integration's answer does (see upgrade).
  private readonly wss = new WebSocketServer({
    noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: (_offered, req) => this.subprotocols.get(req) ?? false,
  });
  /** The subprotocol each handshake's `$connect` answered with, written into the 101 response. */
  private readonly subprotocols = new WeakMap<IncomingMessage, string>();
  private readonly throttles = new Map<string, StageThrottle>();
  private readonly connections = new Map<string, LiveConnection>();
  private routes = new Map<string, WsRouteEntry>();
  private readonly log: (line: string) => void;
  /** Handshakes waiting for `$connect`: destroyed on close, so none completes after it. */
  private readonly pending = new Set<Socket>();
  private closing = false;
  private readonly endListeners: Array<(end: ConnectionEnd) => void> = [];

  constructor(private readonly options: WebSocketApiServerOptions) {
    this.log = options.log ?? ((line) => console.log(line));
    for (const stage of options.stages) {
      this.throttles.set(stage.name, new StageThrottle(stage.defaultThrottle, stage.routeThrottles ?? {}, options.clock ?? Date.now));
    }
    // ws answers a protocol only to a client that offered some; API Gateway passes the function's answer whatever was offered.
    this.wss.on('headers', (headers: string[], req: IncomingMessage) => {
      const subprotocol = this.subprotocols.get(req);
      if (subprotocol !== undefined && req.headers['sec-websocket-protocol'] === undefined) headers.push(`Sec-WebSocket-Protocol: ${subprotocol}`);
    });
    this.server = createServer((req, res) => {
      this.serveHttp(req, res).catch((error: Error) => {
        this.log(`${req.method} ${req.url}: ${error.stack ?? error.message}`);
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      this.upgrade(req, socket, head).catch((error: Error) => {
        this.log(`WebSocket handshake ${req.url}: ${error.stack ?? error.message}`);
        refuse(socket, 500);
      });
    });
    this.port = new PlainOrTlsPort(this.server, options.tls);
  }

  /** Listens on 127.0.0.1:`port` (0: any free port) and returns the port. */
  public listen(port: number): Promise<number> {
    return this.port.listen(port);
  }

  /** Gives the routes, by route key, once the runner has built their integrations. */
  public serveRoutes(routes: Map<string, WsRouteEntry>): void {
    this.routes = routes;
  }

  /** Calls `listener` each time a connection ends, once the server has decided on `$disconnect`; returns how to stop. */
  public onConnectionEnd(listener: (end: ConnectionEnd) => void): () => void {
    this.endListeners.push(listener);
    return () => {
      const at = this.endListeners.indexOf(listener);
      if (at >= 0) this.endListeners.splice(at, 1);
    };
  }

  /** The ids of the open connections. */
  public connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  /**
   * Test-only: ends a connection without running `$disconnect`, as a client
   * whose disconnect API Gateway never delivered (the way a stale item
   * arises on AWS). Returns whether the connection existed.
   */
  public dropWithoutDisconnect(connectionId: string): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection) return false;
    connection.silent = true;
    connection.socket.terminate();
    return true;
  }

  public close(): Promise<void> {
    this.closing = true;
    for (const socket of this.pending) socket.destroy();
    for (const c of this.connections.values()) {
      c.silent = true;
      c.socket.terminate();
    }
    return this.port.close();
  }

  private async serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readLimited(req, MAX_MESSAGE_BYTES);
    const path = (req.url ?? '/').split('?')[0];
    // Handlers and tests call these; a web page in the developer's browser must not (the runner's choice, see browser-requests.ts).
    if ((path.startsWith('/@apigw-local/') || path.includes('/@connections/')) && fromWebPage(req)) {
      refuseWebPage(res);
      return;
    }
    const admin = /^\/@apigw-local\/drop\/([^/]+)$/.exec(path);
    if (admin && req.method === 'POST') {
      const dropped = this.dropWithoutDisconnect(decodeURIComponent(admin[1]));
      res.writeHead(dropped ? 204 : 404).end();
      return;
    }
    const management = /^\/([^/]+)\/@connections\/([^/]+)$/.exec(path);
    if (management && this.options.stages.some((s) => s.name === management[1])) {
      const connection = this.connections.get(decodeURIComponent(management[2]));
      serveConnectionsApi(req, res, body, connection?.stage === management[1] ? connection : undefined, this.log);
      return;
    }
    if (this.options.stages.some((s) => path === `/${s.name}`)) {
      res.writeHead(426, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Upgrade Required: connect with a WebSocket client' }));
      return;
    }
    // What API Gateway answers for a path no stage serves.
    res.writeHead(403, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Forbidden' }));
  }

  private async upgrade(req: IncomingMessage, socket: Socket, head: Buffer): Promise<void> {
    const [path, rawQueryString = ''] = (req.url ?? '/').split(/\?(.*)/s);
    const stage = this.options.stages.find((s) => `/${s.name}` === path.replace(/\/$/, ''));
    if (!stage) return refuse(socket, 404);
    // A handshake ws would reject must not run $connect (it could write an item no $disconnect removes).
    if (!validHandshake(req)) return refuse(socket, 400);
    const headers: Array<[string, string]> = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i], req.rawHeaders[i + 1]]);
    let info: WsConnectionInfo = {
      // AWS's connection ids: 11 random bytes in base64 (`L0SM9cOFvHcCIhw=`).
      id: randomBytes(11).toString('base64'),
      connectedAt: Date.now(),
      sourceIp: socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: String(req.headers['user-agent'] ?? ''),
      headers,
      rawPath: path,
      rawQueryString,
    };
    const domainName = String(req.headers.host ?? '127.0.0.1');
    // Throttled before anything runs, as API Gateway throttles a route's requests (websocket-api-protect.html).
    if (!this.throttles.get(stage.name)!.admit('$connect')) {
      this.accessLog(stage, this.event('CONNECT', '$connect', info, stage, domainName), 429, 'Too Many Requests');
      return refuse(socket, 429);
    }
    const connect = this.routes.get('$connect');
    if (connect) {
      // Node leaves an upgrading socket without an error listener: a client that resets while $connect runs must not crash the runner.
      const ignore = () => undefined;
      socket.on('error', ignore);
      this.pending.add(socket);
      const answer = await this.connect(connect, info, stage, domainName);
      this.pending.delete(socket);
      socket.off('error', ignore);
      if (this.closing || socket.destroyed) {
        socket.destroy();
        return;
      }
      if ('refuse' in answer) return refuse(socket, answer.refuse);
      info = answer.info;
      if (answer.subprotocol !== undefined) this.subprotocols.set(req, answer.subprotocol);
    }
    const accepted = info;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(ws, accepted, stage, domainName));
  }

  /**
   * `$connect`: the authorizer first (its refusal is the handshake's
   * status), then the integration, whose non-2xx status refuses the
   * handshake with it and whose `Sec-WebSocket-Protocol` header is the
   * subprotocol the handshake answers with.
   */
  private async connect(
    route: WsRouteEntry, connection: WsConnectionInfo, stage: WsServedStage, domainName: string,
  ): Promise<{ readonly info: WsConnectionInfo; readonly subprotocol?: string } | { readonly refuse: number }> {
    let info = connection;
    if (route.authorizer) {
      const request = this.event('CONNECT', '$connect', info, stage, domainName);
      let verdict: WsVerdict;
      try {
        verdict = await route.authorizer.authorize(request);
      } catch (error) {
        this.log(`$connect (${info.id}): the authorizer failed: ${(error as Error).stack ?? error}`);
        verdict = { allow: false, status: 500 };
      }
      if (!verdict.allow) {
        this.accessLog(stage, request, verdict.status, STATUS_CODES[verdict.status]);
        return { refuse: verdict.status };
      }
      info = { ...info, authorizer: verdict.result, iam: verdict.iam };
    }
    const outcome = await this.run(route, this.event('CONNECT', '$connect', info, stage, domainName));
    // A Lambda's non-2xx status refuses the handshake with it; a failed integration with 500 (the runner's reading).
    const status = outcome.ok ? outcome.statusCode : 500;
    if (status < 200 || status > 299) return { refuse: status };
    const subprotocol = outcome.ok ? Object.entries(outcome.headers ?? {}).find(([name]) => name.toLowerCase() === 'sec-websocket-protocol')?.[1] : undefined;
    const problem = subprotocol === undefined ? undefined : subprotocolProblem(subprotocol);
    if (problem) {
      this.log(`$connect (${info.id}): ${problem}; the handshake is refused with 500`);
      return { refuse: 500 };
    }
    return { info, subprotocol };
  }

  private opened(ws: WebSocket, info: WsConnectionInfo, stage: WsServedStage, domainName: string): void {
    limitFrameSize(ws);
    const connection: LiveConnection = { info, socket: ws, stage: stage.name, lastActiveAt: Date.now(), silent: false };
    this.connections.set(info.id, connection);
    let idle = setTimeout(() => ws.close(1001, 'Going away'), this.options.idleTimeoutMs ?? TEN_MINUTES);
    const lifetime = setTimeout(() => ws.close(1001, 'Going away'), this.options.maxLifetimeMs ?? TWO_HOURS);
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      connection.lastActiveAt = Date.now();
      clearTimeout(idle);
      idle = setTimeout(() => ws.close(1001, 'Going away'), this.options.idleTimeoutMs ?? TEN_MINUTES);
      // The runner's routes take text; AWS WebSocket APIs route text frames (binary media types are a REST feature).
      if (isBinary) return ws.close(1003, 'Binary frames are not supported');
      void this.message(connection, data.toString('utf8'), stage, domainName);
    });
    // ws reports a too-long frame or message as an error, then closes with 1009.
    ws.on('error', (error) => this.log(`WebSocket ${info.id}: ${error.message}`));
    ws.on('close', (code: number, reason: Buffer) => {
      clearTimeout(idle);
      clearTimeout(lifetime);
      this.connections.delete(info.id);
      const disconnect = connection.silent ? undefined : this.routes.get('$disconnect');
      // Best effort, as on AWS: after the close, whatever the client did.
      if (disconnect) void this.run(disconnect, this.event('DISCONNECT', '$disconnect', info, stage, domainName, undefined, { statusCode: code, reason: reason.toString() }));
      for (const listener of this.endListeners) listener({ connectionId: info.id, code, disconnectSent: disconnect !== undefined });
    });
  }

  private async message(connection: LiveConnection, body: string, stage: WsServedStage, domainName: string): Promise<void> {
    const selected = evaluateSelection(this.options.routeSelectionExpression, body);
    const routeKey = selected !== undefined && this.routes.has(selected) && !selected.startsWith('$') ? selected : '$default';
    const request = this.event('MESSAGE', routeKey, connection.info, stage, domainName, body);
    const route = this.routes.get(routeKey);
    const send = (text: string) => {
      if (connection.socket.readyState === connection.socket.OPEN) connection.socket.send(text);
    };
    if (!this.throttles.get(stage.name)!.admit(routeKey)) {
      // AWS documents 429 for throttled requests but no frame for a throttled message: the runner's, in the shape of AWS's error frames.
      this.accessLog(stage, request, 429, 'Too Many Requests');
      return send(JSON.stringify({ message: 'Too Many Requests', connectionId: connection.info.id, requestId: request.requestId }));
    }
    if (!route) {
      // What AWS sends when no route matches and there is no $default.
      this.accessLog(stage, request, 403, 'Forbidden');
      return send(JSON.stringify({ message: 'Forbidden', connectionId: connection.info.id, requestId: request.requestId }));
    }
    const outcome = await this.run(route, request);
    if (!outcome.ok) return send(JSON.stringify({ message: 'Internal server error', connectionId: connection.info.id, requestId: request.requestId }));
    if (route.twoWay && outcome.reply !== undefined) send(outcome.reply);
  }

  private async run(route: WsRouteEntry, request: WsRequest): Promise<WsOutcome> {
    let outcome: WsOutcome;
    try {
      outcome = await route.integration.handle(request);
    } catch (error) {
      outcome = { ok: false, reason: (error as Error).stack ?? String(error) };
    }
    if (!outcome.ok) this.log(`${request.routeKey} (${request.connection.id}, ${request.requestId}): integration failed: ${outcome.reason}`);
    const stage = this.options.stages.find((s) => s.name === request.stage)!;
    this.accessLog(stage, request, outcome.ok ? outcome.statusCode : 500, outcome.ok ? undefined : 'Internal server error', outcome.ok ? undefined : outcome.reason);
    return outcome;
  }

  private event(
    eventType: WsRequest['eventType'], routeKey: string, connection: WsConnectionInfo, stage: WsServedStage, domainName: string,
    body?: string, disconnect?: WsRequest['disconnect'],
  ): WsRequest {
    return {
      eventType,
      routeKey,
      connection,
      body,
      messageId: eventType === 'MESSAGE' ? randomBytes(11).toString('base64') : undefined,
      requestId: randomBytes(11).toString('base64'),
      timeEpoch: Date.now(),
      api: { id: this.options.apiId, domainName, accountId: this.options.accountId },
      stage: stage.name,
      stageVariables: stage.stageVariables,
      disconnect,
    };
  }

  /** One line per event in the stage's access-log format, else the runner's own line. */
  private accessLog(stage: WsServedStage, request: WsRequest, status: number, errorMessage?: string, integrationError?: string): void {
    if (!stage.accessLogFormat) {
      this.log(`${request.eventType} ${request.routeKey} ${request.connection.id} -> ${status}`);
      return;
    }
    const vars: Record<string, string | undefined> = {};
    const flatten = (prefix: string, value: unknown) => {
      if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(`${prefix}${k}.`, v);
      else if (value !== undefined) vars[prefix.slice(0, -1)] = String(value);
    };
    flatten('', wsContext(request));
    Object.assign(vars, { 'status': String(status), 'error.message': errorMessage, 'integrationErrorMessage': integrationError });
    this.log(fillAccessLogFormat(stage.accessLogFormat, vars));
  }
}

/** What ws checks before it accepts a handshake (RFC 6455, 4.2.1): GET, Upgrade: websocket, a 16-byte key, version 13. */
function validHandshake(req: IncomingMessage): boolean {
  return req.method === 'GET'
    && String(req.headers.upgrade ?? '').toLowerCase() === 'websocket'
    && /^[+/0-9A-Za-z]{22}==$/.test(String(req.headers['sec-websocket-key'] ?? ''))
    && String(req.headers['sec-websocket-version'] ?? '') === '13'
    && validSubprotocolOffer(req.headers['sec-websocket-protocol']);
}

/** A request body, read up to `limit` + 1 bytes: enough to tell that it is too long, never more. */
async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    if (size > limit) continue;
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(chunks);
}

/** Answers a handshake with an HTTP status and a JSON message instead of switching protocols. */
function refuse(socket: Socket, status: number): void {
  if (!socket.writable) return;
  const text = STATUS_CODES[status] ?? 'Error';
  const body = JSON.stringify({ message: text });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

