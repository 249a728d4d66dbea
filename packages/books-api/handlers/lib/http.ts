import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

export type Event = APIGatewayProxyEventV2;
export type Result = APIGatewayProxyResultV2 & { statusCode: number; headers: Record<string, string>; body?: string };

// API Gateway accepts payloads up to 10 MB; a book is a few hundred bytes.
export const MAX_BODY_BYTES = 64 * 1024;

/** A client mistake: answered with its status and `{ message }`, never a 5xx. */
export class ClientError extends Error {
  constructor(public readonly statusCode: number, message: string) {
    super(message);
  }
}

export function json(statusCode: number, body?: unknown, headers: Record<string, string> = {}): Result {
  return {
    statusCode,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  };
}

/** The request body as JSON: 413 over 64 KiB, 400 when absent or not JSON. */
export function jsonBody(event: Event): unknown {
  if (event.body === undefined || event.body === null || event.body === '') {
    throw new ClientError(400, 'body: a JSON object is required');
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > MAX_BODY_BYTES) {
    throw new ClientError(413, `body: ${raw.length} bytes is over the ${MAX_BODY_BYTES}-byte limit`);
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ClientError(400, 'body: not valid JSON');
  }
}

// DynamoDB's throttling errors (SDK v3 error names), after the SDK's own retries.
const THROTTLING = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded']);

/**
 * Runs a route handler: client errors become 4xx with `{ message }`, DynamoDB
 * throttling a 503 with Retry-After, anything else a logged 500.
 */
export async function respond(event: Event, route: (event: Event) => Promise<Result>): Promise<Result> {
  try {
    return await route(event);
  } catch (error) {
    if (error instanceof ClientError) {
      return json(error.statusCode, { message: error.message });
    }
    const name = (error as { name?: string }).name ?? '';
    if (THROTTLING.has(name)) {
      return json(503, { message: 'the books table is busy; retry shortly' }, { 'retry-after': '1' });
    }
    console.error(JSON.stringify({ level: 'error', route: event.routeKey, requestId: event.requestContext?.requestId, error: name, message: (error as Error).message }));
    return json(500, { message: 'internal error' });
  }
}
