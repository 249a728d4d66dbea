import { ApiRequest } from '../api-request';
import { clfTime, eventBody, headerLists, orUndefined, queryLists } from './request-parts';

/** A record of each name's last value, and one of all values: 1.0's `x` / `multiValueX` pairs. */
function singleAndMulti(lists: Map<string, string[]>) {
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, values] of lists) {
    single[name] = values[values.length - 1];
    multi[name] = values;
  }
  return { single, multi };
}

/**
 * The payload format 1.0 event, field by field as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 * lists it (lower-cased header names; a repeated header or query parameter
 * keeps its last value in `headers` / `queryStringParameters` and every value
 * in the `multiValue` fields). AWS does not document whether `path` carries
 * a named stage's prefix; the runner gives the path as sent.
 */
export function eventV1(request: ApiRequest, routePath: string): Record<string, unknown> {
  const headers = singleAndMulti(headerLists(request));
  const query = singleAndMulti(queryLists(request.rawQueryString));
  const hasQuery = Object.keys(query.single).length > 0;
  const iam = request.authorizer?.iam;
  return {
    version: '1.0',
    resource: routePath,
    path: request.rawPath,
    httpMethod: request.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: hasQuery ? query.single : null,
    multiValueQueryStringParameters: hasQuery ? query.multi : null,
    requestContext: {
      accountId: request.api.accountId,
      apiId: request.api.id,
      // AWS's 1.0 example shows {claims, scopes} for JWT; for a Lambda authorizer the runner gives its context the same way 2.0 does.
      authorizer: request.authorizer?.iam ? undefined
        : request.authorizer?.jwt ?? (request.authorizer ? { lambda: request.authorizer.lambda ?? {} } : undefined),
      domainName: request.api.domainName,
      domainPrefix: request.api.domainName.split('.')[0],
      extendedRequestId: request.requestId,
      httpMethod: request.method,
      // An AWS_IAM caller fills 1.0's identity, as AWS's 1.0 example lists its fields.
      identity: {
        accessKey: iam?.accessKey ?? null,
        accountId: iam?.accountId ?? null,
        caller: iam?.callerId ?? null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: request.sourceIp,
        user: iam?.userId ?? null,
        userAgent: headers.single['user-agent'] ?? '',
        userArn: iam?.userArn ?? null,
      },
      path: request.rawPath,
      protocol: request.protocol,
      requestId: request.requestId,
      requestTime: clfTime(request.timeEpoch),
      requestTimeEpoch: request.timeEpoch,
      resourceId: request.routeKey,
      resourcePath: routePath,
      stage: request.stage,
    },
    pathParameters: orUndefined(request.pathParameters) ?? null,
    stageVariables: orUndefined(request.stageVariables) ?? null,
    body: null,
    ...eventBody(request),
  };
}
