import { createServer, IncomingMessage, Server } from 'node:http';
import { refuseWebPages } from './browser-requests';
import { closeServer, listenOnLoopback } from './loopback';

/** One call a function made to a service the runner does not emulate. */
export interface UnemulatedCall {
  /** The signing name of the service (`states`, `sqs`, ...), from the request's SigV4 credential scope. */
  readonly service: string;
  /** The operation, when the request names it (`x-amz-target`), else the method and path. */
  readonly operation: string;
}

/** The catch-all endpoint: `AWS_ENDPOINT_URL` of every worker. */
export interface UnemulatedEndpoint {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * Functions get `AWS_ENDPOINT_URL` pointing here, so an SDK call to a service
 * the runner does not emulate never reaches AWS (the SDK prefers
 * `AWS_ENDPOINT_URL_<SERVICE>`, set for the emulated ones, over it:
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html).
 * It answers in the JSON error shape the SDK parses (status, `x-amzn-ErrorType`,
 * `__type`), with 501, which the SDK does not retry. The code and text are
 * the runner's own: AWS has no such answer.
 */
export async function startUnemulatedEndpoint(onCall: (call: UnemulatedCall) => void): Promise<UnemulatedEndpoint> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const call = describeCall(req);
      onCall(call);
      const message = `${call.service} (${call.operation}) is not emulated by apigw-local`;
      res.writeHead(501, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'NotEmulated', 'x-amzn-requestid': 'local' });
      res.end(JSON.stringify({ __type: 'NotEmulated', message }));
    });
  });
  refuseWebPages(server);
  const port = await listenOnLoopback(server, 0);
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}

function describeCall(req: IncomingMessage): UnemulatedCall {
  // SigV4: `Credential=<key>/<date>/<region>/<service>/aws4_request`.
  const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(String(req.headers.authorization ?? ''));
  const target = req.headers['x-amz-target'];
  return {
    service: scope?.[1] ?? 'an AWS service',
    operation: typeof target === 'string' ? target : `${req.method} ${req.url}`,
  };
}
