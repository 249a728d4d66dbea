import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

export const TABLE = 'Connections';
export const ROOM_INDEX = 'byRoom';
const ASSETS = join(__dirname, '..', '..', 'assets');

export type Handler = (event: APIGatewayProxyWebsocketEventV2) => Promise<{ statusCode: number; body?: string }>;

/** Loads the shipped bundle assets/<name>/index.js, fresh, pointed at local endpoints. */
export function loadHandler(name: string, env: { dynamodb: string; callbackUrl?: string; pageSize?: number }): Handler {
  Object.assign(process.env, {
    TABLE_NAME: TABLE,
    ROOM_INDEX,
    AWS_ENDPOINT_URL_DYNAMODB: env.dynamodb,
    CALLBACK_URL: env.callbackUrl ?? 'http://127.0.0.1:9/prod',
    PAGE_SIZE: String(env.pageSize ?? 100),
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

/** A WebSocket message event from `connectionId`. */
export function frame(connectionId: string, body: unknown, routeKey = 'sendmessage'): APIGatewayProxyWebsocketEventV2 {
  return {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: { connectionId, routeKey, eventType: 'MESSAGE', stage: 'prod', domainName: 'example.com', requestId: 'r', apiId: 'a' } as any,
  } as APIGatewayProxyWebsocketEventV2;
}

/**
 * API Gateway's connection management endpoint on loopback: POST
 * /prod/@connections/{id} records the message, or answers as AWS does for a
 * closed connection (HTTP 410, x-amzn-ErrorType: GoneException) for `gone` ids,
 * or a 500 for `failing` ids. Each answer waits `delayMs`, so that calls overlap.
 */
export async function managementEndpoint(gone: Set<string>, failing: Set<string> = new Set(), delayMs = 0) {
  const received = new Map<string, string[]>();
  const sizes: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('finish', () => inFlight--);
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => setTimeout(() => {
      sizes.push(Buffer.concat(chunks).length);
      const match = /^\/prod\/@connections\/(.+)$/.exec(req.url ?? '');
      const id = match ? decodeURIComponent(match[1]) : '';
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end();
      } else if (gone.has(id)) {
        res.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException', 'x-amzn-requestid': 'gone' });
        res.end(JSON.stringify({ message: null }));
      } else if (failing.has(id)) {
        res.writeHead(500, { 'content-type': 'application/json', 'x-amzn-errortype': 'InternalServerErrorException', 'x-amzn-requestid': 'failing' });
        res.end(JSON.stringify({ message: 'Internal server error' }));
      } else {
        received.set(id, [...(received.get(id) ?? []), Buffer.concat(chunks).toString('utf8')]);
        res.writeHead(200, { 'x-amzn-requestid': 'ok' }).end();
      }
    }, delayMs));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/prod`,
    received,
    /** The byte size of every POST body. */
    sizes,
    /** The most POSTs the endpoint had open at once. */
    maxInFlight: () => maxInFlight,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
