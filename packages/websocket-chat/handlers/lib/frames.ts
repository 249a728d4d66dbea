import type { APIGatewayProxyResult, APIGatewayProxyWebsocketEventV2 } from 'aws-lambda';

export type Event = APIGatewayProxyWebsocketEventV2;
export type Result = APIGatewayProxyResult;

/** A frame the client did something wrong in: answered with an error frame, never a 5xx. */
export class FrameError extends Error {}

/**
 * The reply frame sent back on the route (the routes are created with a route
 * response, so API Gateway returns the body to the caller's connection).
 */
export function reply(frame: Record<string, unknown>): Result {
  return { statusCode: 200, body: JSON.stringify(frame) };
}

export function errorFrame(message: string): Result {
  return { statusCode: 400, body: JSON.stringify({ type: 'error', message }) };
}

/** The frame as a JSON object with a string `action`, or a FrameError. */
export function parseFrame(event: Event): Record<string, unknown> & { action: string } {
  let frame: unknown;
  try {
    frame = JSON.parse(event.body ?? '');
  } catch {
    throw new FrameError('frame: not valid JSON; send {"action": "...", ...}');
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) throw new FrameError('frame: must be a JSON object');
  const action = (frame as Record<string, unknown>).action;
  if (typeof action !== 'string') throw new FrameError('action: required, a string');
  return frame as Record<string, unknown> & { action: string };
}

/** Runs a route: FrameErrors become error frames; anything else is logged and answered without details. */
export async function handle(event: Event, route: (event: Event) => Promise<Result>): Promise<Result> {
  try {
    return await route(event);
  } catch (error) {
    if (error instanceof FrameError) return errorFrame(error.message);
    log('error', { route: event.requestContext.routeKey, connectionId: event.requestContext.connectionId, error: (error as Error).name, message: (error as Error).message });
    return { statusCode: 500, body: JSON.stringify({ type: 'error', message: 'internal error' }) };
  }
}

/**
 * One structured JSON log line, through the console method of its level:
 * with the JSON log format, Lambda files console.warn as WARN and
 * console.log as INFO, and drops lines below the function's application
 * log level (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html).
 */
export function log(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>) {
  const line = JSON.stringify({ level, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}
