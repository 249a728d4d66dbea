import { createServer, request, Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback';

/** One request that went through a recording proxy. */
export interface RecordedCall {
  /** `x-amz-target`: `DynamoDB_20120810.GetItem`, ... */
  readonly target: string;
  /** The JSON body, parsed (undefined when it is not JSON). */
  readonly body: any;
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
 * JSON-protocol call is recorded on the way.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
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
      calls.push({ target: String(req.headers['x-amz-target'] ?? ''), body: parsed });
      const forward = request({ hostname: to.hostname, port: to.port, method: req.method, path: req.url, headers: { ...req.headers, host: to.host } }, (answer) => {
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
