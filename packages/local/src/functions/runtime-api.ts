import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** One invocation as the Runtime API hands it to a runtime. */
export interface RuntimeInvocation {
  readonly requestId: string;
  /** The event, JSON-encoded. */
  readonly event: string;
  readonly deadlineMs: number;
  readonly functionArn: string;
}

/** What the runtime told the Runtime API. */
export type RuntimeReport =
  | { readonly kind: 'ready' }
  | { readonly kind: 'response'; readonly requestId: string; readonly payload: string }
  | { readonly kind: 'error'; readonly requestId: string; readonly errorType: string; readonly errorMessage: string; readonly stack?: string }
  | { readonly kind: 'init-error'; readonly errorType: string; readonly errorMessage: string; readonly stack?: string };

const PREFIX = '/2018-06-01/runtime';

/**
 * The Lambda Runtime API of one execution environment
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html), on
 * loopback: the runtime long-polls `invocation/next` for its next event and
 * posts the response or error under the request id it was given, or
 * `init/error` when its handler cannot be loaded. The runtime's first
 * `next` ends its Init phase. Each environment has its own server, as each
 * Lambda execution environment has its own `AWS_LAMBDA_RUNTIME_API`.
 */
export class RuntimeApi {
  private readonly server: Server;
  private waiting?: ServerResponse;
  private pending?: RuntimeInvocation;
  private initDone = false;

  constructor(private readonly report: (report: RuntimeReport) => void) {
    this.server = createServer((req, res) => this.route(req, res));
    // An idle environment's `next` waits as long as the environment lives.
    this.server.requestTimeout = 0;
    this.server.keepAliveTimeout = 0;
  }

  /** Listens on a free loopback port; resolves to `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`. */
  public async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Whether an invocation was given but the runtime has not taken it (it has not polled since). */
  public get holding(): boolean {
    return this.pending !== undefined;
  }

  /** Gives the runtime its next invocation: now if it is polling, else at its next poll. */
  public deliver(invocation: RuntimeInvocation): void {
    this.pending = invocation;
    this.hand();
  }

  public close(): void {
    this.waiting?.destroy();
    this.waiting = undefined;
    this.server.closeAllConnections();
    this.server.close();
  }

  private hand(): void {
    const res = this.waiting;
    const invocation = this.pending;
    if (!res || !invocation || res.destroyed) return;
    this.waiting = undefined;
    this.pending = undefined;
    res.writeHead(200, {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadlineMs),
      'lambda-runtime-invoked-function-arn': invocation.functionArn,
      'lambda-runtime-trace-id': `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${invocation.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    });
    res.end(invocation.event);
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === `${PREFIX}/invocation/next`) {
      this.waiting = res;
      // A runtime that died while polling takes nothing more: what is given stays held (and is handed elsewhere).
      res.on('close', () => {
        if (this.waiting === res) this.waiting = undefined;
      });
      if (!this.initDone) {
        this.initDone = true;
        this.report({ kind: 'ready' });
      }
      this.hand();
      return;
    }
    const reply = path.match(/^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/);
    const initError = path === `${PREFIX}/init/error`;
    if (req.method !== 'POST' || (!reply && !initError)) {
      answer(res, 404, { errorType: 'NotFound', errorMessage: `${req.method} ${path} is not part of the Lambda Runtime API` });
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      answer(res, 202, { status: 'OK' });
      if (reply?.[2] === 'response') {
        this.report({ kind: 'response', requestId: decodeURIComponent(reply[1]), payload: body });
        return;
      }
      const error = parseError(body, req.headers['lambda-runtime-function-error-type']);
      if (reply) this.report({ kind: 'error', requestId: decodeURIComponent(reply[1]), ...error });
      else this.report({ kind: 'init-error', ...error });
    });
  }
}

/** The error document a runtime posts; a body that is not one still fails the invocation, typed by its header. */
function parseError(body: string, header: string | string[] | undefined): { errorType: string; errorMessage: string; stack?: string } {
  const fallbackType = (Array.isArray(header) ? header[0] : header) || 'Unhandled';
  try {
    const parsed = JSON.parse(body);
    const trace = Array.isArray(parsed.stackTrace) ? parsed.stackTrace.map(String) : [];
    return {
      errorType: String(parsed.errorType ?? fallbackType),
      errorMessage: String(parsed.errorMessage ?? ''),
      stack: trace.length ? trace.join('\n') : undefined,
    };
  } catch {
    return { errorType: fallbackType, errorMessage: body };
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
