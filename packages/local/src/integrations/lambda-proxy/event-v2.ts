import { ApiRequest } from '../api-request';
import { clfTime, eventBody, headerLists, orUndefined, queryLists } from './request-parts';

/**
 * The payload format 2.0 event, field by field as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * lists it: header names lower-cased and duplicates joined with commas, the
 * cookie headers in `cookies` (and, the runner's reading of the example, not
 * among `headers`), empty fields left out.
 */
export function eventV2(request: ApiRequest): Record<string, unknown> {
  const lists = headerLists(request);
  const cookies = (lists.get('cookie') ?? []).flatMap((c) => c.split(';')).map((c) => c.trim()).filter(Boolean);
  lists.delete('cookie');
  const headers = Object.fromEntries([...lists].map(([name, values]) => [name, values.join(',')]));
  const query = Object.fromEntries([...queryLists(request.rawQueryString)].map(([name, values]) => [name, values.join(',')]));
  return {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    cookies: cookies.length ? cookies : undefined,
    headers,
    queryStringParameters: orUndefined(query),
    requestContext: {
      accountId: request.api.accountId,
      apiId: request.api.id,
      authorizer: authorizerV2(request),
      domainName: request.api.domainName,
      domainPrefix: request.api.domainName.split('.')[0],
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: request.requestId,
      routeKey: request.routeKey,
      stage: request.stage,
      time: clfTime(request.timeEpoch),
      timeEpoch: request.timeEpoch,
    },
    ...eventBody(request),
    pathParameters: orUndefined(request.pathParameters),
    stageVariables: orUndefined(request.stageVariables),
  };
}

/** What the route's authorizer passes on: `{lambda: context}`, `{jwt: {claims, scopes}}` or `{iam: caller}`. */
function authorizerV2(request: ApiRequest): Record<string, unknown> | undefined {
  const a = request.authorizer;
  if (!a) return undefined;
  if (a.iam) return { iam: a.iam };
  return a.jwt ? { jwt: a.jwt } : { lambda: a.lambda ?? {} };
}
