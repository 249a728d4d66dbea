import { IamIdentity } from '../api-request';
import { clfTime } from '../lambda-proxy/request-parts';

/** A WebSocket client's connection, as the integrations see it. */
export interface WsConnectionInfo {
  /** AWS's form: 16 characters of base64 (`L0SM9cOFvHcCIhw=`). */
  readonly id: string;
  /** When the handshake arrived (ms since the epoch). */
  readonly connectedAt: number;
  readonly sourceIp: string;
  readonly userAgent: string;
  /** The handshake's headers, names as sent. */
  readonly headers: Array<[string, string]>;
  /** The handshake's path (`/<stage>`), as sent. */
  readonly rawPath: string;
  /** The handshake's query string, as sent. */
  readonly rawQueryString: string;
  /** An `AWS_IAM` `$connect`'s verified caller: every event's `identity` carries it. */
  readonly iam?: IamIdentity;
  /** What the `$connect` authorizer passed on: every event of the connection carries it, as on AWS. */
  readonly authorizer?: WsAuthorizerResult;
}

/** What a `$connect` Lambda authorizer allowed the connection with. */
export interface WsAuthorizerResult {
  readonly principalId: string;
  /** The authorizer's `context`, each value stringified. */
  readonly context: Record<string, string>;
  /** How long the authorizer took, in ms. */
  readonly integrationLatency: number;
}

/** One event of a WebSocket API: a connect, a message or a disconnect. */
export interface WsRequest {
  readonly eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT';
  readonly routeKey: string;
  readonly connection: WsConnectionInfo;
  /** The message, for MESSAGE. */
  readonly body?: string;
  readonly messageId?: string;
  readonly requestId: string;
  readonly timeEpoch: number;
  readonly api: { readonly id: string; readonly domainName: string; readonly accountId: string };
  readonly stage: string;
  readonly stageVariables: Record<string, string>;
  /** Why the connection ended, for DISCONNECT. */
  readonly disconnect?: { readonly statusCode: number; readonly reason: string };
}

/** What an integration made of an event. */
export type WsOutcome =
  /**
   * The integration answered: `statusCode` decides a handshake; `reply`, if any, goes back on a two-way route;
   * `headers` (a Lambda proxy's) may name the handshake's subprotocol.
   */
  | { readonly ok: true; readonly statusCode: number; readonly reply?: string; readonly headers?: Record<string, string> }
  /** The integration failed (an error, a timeout, a template that is not JSON): the reason is printed, never sent. */
  | { readonly ok: false; readonly reason: string };

/** What a WebSocket route's integration does with an event. */
export interface WsRouteIntegration {
  handle(request: WsRequest): Promise<WsOutcome>;
}

/** The `$context` of a WebSocket event, nested as templates walk it, as the mapping-template reference lists it. */
export function wsContext(request: WsRequest): Record<string, unknown> {
  const { connection } = request;
  return {
    apiId: request.api.id,
    connectedAt: connection.connectedAt,
    connectionId: connection.id,
    domainName: request.api.domainName,
    eventType: request.eventType,
    extendedRequestId: request.requestId,
    identity: { ...iamIdentityFields(connection), sourceIp: connection.sourceIp, userAgent: connection.userAgent },
    messageDirection: 'IN',
    messageId: request.messageId,
    requestId: request.requestId,
    requestTime: clfTime(request.timeEpoch),
    requestTimeEpoch: request.timeEpoch,
    routeKey: request.routeKey,
    stage: request.stage,
    disconnectStatusCode: request.disconnect?.statusCode,
    disconnectReason: request.disconnect?.reason,
    // principalId wins over a context key of that name, as in the Lambda event.
    authorizer: connection.authorizer ? { ...connection.authorizer.context, principalId: connection.authorizer.principalId } : undefined,
  };
}

/** An IAM caller as a WebSocket event's `identity` names it (REST APIs' names: `accessKey`, `accountId`, `caller`, `user`, `userArn`). */
export function iamIdentityFields(connection: WsConnectionInfo): Record<string, string> {
  const iam = connection.iam;
  return iam ? { accessKey: iam.accessKey, accountId: iam.accountId, caller: iam.callerId, user: iam.userId, userArn: iam.userArn } : {};
}
