import { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Whether a request comes from a web page. Browsers send `Origin` with every
 * cross-origin request (and every POST) and `Sec-Fetch-Site` with every
 * request; the AWS SDKs and Lambda handlers send neither. Endpoints meant
 * only for functions and tests refuse such requests, so that a page open in
 * the developer's browser cannot read or write the local tables, start
 * executions or drop WebSocket connections once it guesses a port. AWS's
 * own endpoints need SigV4 and have no such case; this is the runner's choice.
 */
export function fromWebPage(req: IncomingMessage): boolean {
  return req.headers.origin !== undefined || req.headers['sec-fetch-site'] === 'cross-site';
}

/** 403 in the JSON error shape the SDKs parse (`x-amzn-ErrorType`), without CORS headers: the page reads nothing. */
export function refuseWebPage(res: ServerResponse): void {
  res.writeHead(403, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-errortype': 'AccessDeniedException' });
  res.end(JSON.stringify({
    __type: 'AccessDeniedException',
    message: 'apigw-local serves this endpoint to functions and SDKs only, not to web pages (the request had Origin or Sec-Fetch-Site: cross-site)',
  }));
}

/** Puts the refusal in front of every request listener `server` has (dynalite's, for one). */
export function refuseWebPages(server: Server): void {
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (fromWebPage(req)) {
      req.resume();
      refuseWebPage(res);
      return;
    }
    for (const listener of listeners) listener.call(server, req, res);
  });
}
