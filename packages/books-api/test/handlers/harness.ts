import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

export const TABLE = 'Books';
const ASSETS = join(__dirname, '..', '..', 'assets');

export interface Response {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
}
export type Handler = (event: APIGatewayProxyEventV2) => Promise<Response>;

/**
 * Loads the shipped bundle assets/<name>/index.js (not the TypeScript source),
 * fresh, with its DynamoDB client pointed at `endpoint` through the SDK's
 * standard AWS_ENDPOINT_URL_DYNAMODB variable.
 */
export function loadHandler(name: string, endpoint: string): Handler {
  Object.assign(process.env, {
    TABLE_NAME: TABLE,
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = require(join(ASSETS, name, 'index.js')).handler;
  });
  return handler!;
}

/** An HTTP API (payload 2.0) event. */
export interface EventOptions {
  id?: string;
  body?: unknown;
  rawBody?: string;
  query?: Record<string, string>;
  base64?: boolean;
}

export function event(routeKey: string, options: EventOptions = {}): APIGatewayProxyEventV2 {
  const [method, path] = routeKey.split(' ');
  let body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined && options.base64) body = Buffer.from(body).toString('base64');
  return {
    version: '2.0',
    routeKey,
    rawPath: options.id ? path.replace('{id}', options.id) : path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json' },
    queryStringParameters: options.query,
    pathParameters: options.id === undefined ? undefined : { id: options.id },
    body,
    isBase64Encoded: options.base64 ?? false,
    requestContext: { requestId: 'test-request', http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'jest' } } as any,
  };
}

export function bodyOf(response: Response): any {
  return response.body === undefined ? undefined : JSON.parse(response.body);
}

/**
 * A DynamoDB endpoint that throttles every request, in the wire format the SDK
 * parses (HTTP 400, x-amzn-ErrorType and a JSON __type), counting the requests.
 */
export async function throttlingEndpoint(): Promise<{ endpoint: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(400, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-errortype': 'ProvisionedThroughputExceededException',
        'x-amzn-requestid': `throttled-${count}`,
      });
      res.end(JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
