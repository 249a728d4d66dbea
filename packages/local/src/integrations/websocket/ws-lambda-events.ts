import { iamIdentityFields, WsRequest } from './ws-request';
import { clfTime, orUndefined, queryLists } from '../lambda-proxy/request-parts';

/**
 * The Lambda proxy event of a WebSocket route, as AWS sends it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-requests.html,
 * field names as in the events AWS's examples show): `requestContext` on
 * every event; headers and the query string on CONNECT (and the headers on
 * DISCONNECT); the message as `body` on MESSAGE; `disconnectStatusCode` and
 * `disconnectReason` on DISCONNECT.
 */
export function wsLambdaEvent(request: WsRequest): Record<string, unknown> {
  const c = request.connection;
  const requestContext: Record<string, unknown> = {
    routeKey: request.routeKey,
    eventType: request.eventType,
    extendedRequestId: request.requestId,
    requestTime: clfTime(request.timeEpoch),
    messageDirection: 'IN',
    stage: request.stage,
    connectedAt: c.connectedAt,
    requestTimeEpoch: request.timeEpoch,
    identity: { ...iamIdentityFields(c), userAgent: c.userAgent, sourceIp: c.sourceIp },
    requestId: request.requestId,
    domainName: request.api.domainName,
    connectionId: c.id,
    apiId: request.api.id,
  };
  if (request.eventType === 'MESSAGE') requestContext.messageId = request.messageId;
  // As a REST API's Lambda proxy event carries it (AWS shows none for WebSocket APIs): the context's keys, principalId, integrationLatency.
  if (c.authorizer) {
    const { context, principalId, integrationLatency } = c.authorizer;
    requestContext.authorizer = { ...context, principalId, integrationLatency };
  }
  if (request.eventType === 'DISCONNECT') {
    requestContext.disconnectStatusCode = request.disconnect?.statusCode;
    requestContext.disconnectReason = request.disconnect?.reason ?? '';
  }
  const event: Record<string, unknown> = { requestContext, isBase64Encoded: false };
  if (request.eventType !== 'MESSAGE') {
    const headers = headersAsSent(c.headers);
    event.headers = Object.fromEntries([...headers].map(([n, v]) => [n, v[v.length - 1]]));
    event.multiValueHeaders = Object.fromEntries(headers);
  }
  if (request.eventType === 'CONNECT') {
    const query = queryLists(c.rawQueryString);
    event.queryStringParameters = orUndefined(Object.fromEntries([...query].map(([n, v]) => [n, v[v.length - 1]])));
    event.multiValueQueryStringParameters = orUndefined(Object.fromEntries(query));
  }
  if (request.eventType === 'MESSAGE') event.body = request.body;
  if (Object.keys(request.stageVariables).length) event.stageVariables = request.stageVariables;
  return event;
}

/**
 * Header values by name, names as the client sent them (the first spelling
 * of a repeated one): AWS's WebSocket events show `Host`, `HeaderAuth1`,
 * `Sec-WebSocket-Key` as sent, where HTTP APIs' 2.0 events lower-case them.
 */
function headersAsSent(headers: Array<[string, string]>): Map<string, string[]> {
  const spelling = new Map<string, string>();
  const lists = new Map<string, string[]>();
  for (const [name, value] of headers) {
    const key = spelling.get(name.toLowerCase()) ?? name;
    spelling.set(name.toLowerCase(), key);
    lists.set(key, [...(lists.get(key) ?? []), value]);
  }
  return lists;
}
