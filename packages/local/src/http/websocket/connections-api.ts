import { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_MESSAGE_BYTES } from './frame-limits';
import { LiveConnection } from './live-connection';

/**
 * The `@connections` management API of a WebSocket stage, at
 * `/<stage>/@connections/{connectionId}` on the API's own port
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html):
 * POST sends the body to the client, GET describes the connection, DELETE
 * closes it. An unknown or closed connection is 410 `GoneException`; data
 * over 128 KB is 413 `PayloadTooLargeException`; errors carry
 * `x-amzn-ErrorType`, which the SDK turns into `error.name`. Requests are not
 * checked for a signature (the runner has no IAM).
 */
export function serveConnectionsApi(
  req: IncomingMessage, res: ServerResponse, body: Buffer, connection: LiveConnection | undefined, log: (line: string) => void,
): void {
  const error = (status: number, type: string, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
    res.end(JSON.stringify({ message }));
  };
  const open = connection && connection.socket.readyState === connection.socket.OPEN ? connection : undefined;
  switch (req.method) {
    case 'POST':
      if (body.length > MAX_MESSAGE_BYTES) return error(413, 'PayloadTooLargeException', `Data is ${body.length} bytes; the limit is ${MAX_MESSAGE_BYTES}`);
      if (!open) return error(410, 'GoneException', 'The connection is gone');
      open.socket.send(body.toString('utf8'));
      res.writeHead(200, { 'content-length': '0' });
      res.end();
      return;
    case 'GET':
      if (!open) return error(410, 'GoneException', 'The connection is gone');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        connectedAt: new Date(open.info.connectedAt).toISOString(),
        identity: { sourceIp: open.info.sourceIp, userAgent: open.info.userAgent },
        lastActiveAt: new Date(open.lastActiveAt).toISOString(),
      }));
      return;
    case 'DELETE':
      if (!open) return error(410, 'GoneException', 'The connection is gone');
      log(`@connections DELETE ${open.info.id}: closing the connection`);
      open.socket.close(1000, 'Connection closed by the server');
      res.writeHead(204);
      res.end();
      return;
    default:
      return error(405, 'MethodNotAllowedException', `${req.method} is not an @connections method`);
  }
}
