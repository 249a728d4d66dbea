import { createServer, request, Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback';

/** One request that went through a recording proxy. */
export interface RecordedCall {
  /** `x-amz-target`: `DynamoDB_20120810.GetItem`, ... */
  readonly target: string;
  /** The JSON body, parsed (undefined when it is not JSON). */
  readonly body: any;
}

/** An error the proxy answers instead of forwarding, in the JSON-protocol wire format. */
export interface InjectedError {
  readonly status: number;
  /** `x-amzn-ErrorType` and `__type`, the SDK's `error.name`. */
  readonly type: string;
  readonly message?: string;
}

/** A loopback endpoint that forwards to another and keeps what passed. */
export interface RecordingProxy {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  stop(): Promise<void>;
}

/**
 * For tests that must see what a handler asked a service (a read's
 * `ConsistentRead`, a query's key): every request goes on, unchanged, to
 * `target` (dynalite, say) and its answer comes back unchanged; each
 * JSON-protocol call is recorded on the way. `fail` may answer a call with
 * an error instead (status, `x-amzn-ErrorType`, `__type`), as the service would.
 */
export async function startRecordingProxy(
  target: string, fail: (call: RecordedCall) => InjectedError | undefined = () => undefined,
): Promise<RecordingProxy> {
  const to = new URL(target);
  const calls: RecordedCall[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      const call = { target: String(req.headers['x-amz-target'] ?? ''), body: parsed };
      calls.push(call);
      const injected = fail(call);
      if (injected) {
        res.writeHead(injected.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': injected.type });
        res.end(JSON.stringify({ __type: injected.type, message: injected.message ?? injected.type }));
        return;
      }
      const options = { hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } };
      const forward = request(options, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  const port = await listenOnLoopback(server, 0);
  return { endpoint: `http://127.0.0.1:${port}`, calls, stop: () => closeServer(server) };
}
