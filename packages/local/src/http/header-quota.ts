import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';

/**
 * HTTP APIs' quota: "Total combined size of request line and header values:
 * 10240 bytes" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 */
export const MAX_REQUEST_LINE_AND_HEADER_VALUES = 10_240;

/**
 * How much of the quota a request uses: its request line (`GET /path?q
 * HTTP/1.1`) and each header's value, in bytes, as the quota's wording
 * counts them (names and line ends are not "values").
 */
export function requestLineAndHeaderValueBytes(req: IncomingMessage): number {
  let bytes = Buffer.byteLength(`${req.method} ${req.url} HTTP/${req.httpVersion}`);
  for (let i = 1; i < req.rawHeaders.length; i += 2) bytes += Buffer.byteLength(req.rawHeaders[i]);
  return bytes;
}

/**
 * The answer past the quota. AWS documents no status or body; the runner
 * answers 431 (RFC 6585's "Request Header Fields Too Large") with the text
 * reported from AWS, "HTTP header is larger than 10240 bytes."
 * (ntsblog.homedev.com.au, 2021-03-09).
 */
export const HEADER_QUOTA_MESSAGE = `HTTP header is larger than ${MAX_REQUEST_LINE_AND_HEADER_VALUES} bytes.`;

/**
 * Node.js's own parser refuses headers past `maxHeaderSize` before any
 * handler runs; this answers such a request (and any other it cannot read)
 * with a JSON body and a request id, as the runner's other refusals, instead
 * of Node's bare status. A client that went away is only let go.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket, requestId: string, log: (line: string) => void): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, text, message] = error.code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', HEADER_QUOTA_MESSAGE]
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'Request Timeout']
      : [400, 'Bad Request', 'Bad Request'];
  log(`a request the runner could not read -> ${status} (${error.code ?? error.message})`);
  const body = JSON.stringify({ message });
  socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n`
    + `apigw-requestid: ${requestId}\r\nConnection: close\r\n\r\n${body}`);
}
