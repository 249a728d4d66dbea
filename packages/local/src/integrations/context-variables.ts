import { ApiRequest } from './api-request';
import { clfTime, header } from './lambda-proxy/request-parts';

/**
 * The request's `$context` variables, by name without `$context.`, as HTTP
 * APIs define them for parameter mapping and access logs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html).
 * Response-side ones (status, latencies) are added by the access log.
 */
export function requestContextVariables(request: ApiRequest): Record<string, string> {
  const vars: Record<string, string> = {
    'accountId': request.api.accountId,
    'apiId': request.api.id,
    'requestId': request.requestId,
    'extendedRequestId': request.requestId,
    'domainName': request.api.domainName,
    'domainPrefix': request.api.domainName.split('.')[0],
    'httpMethod': request.method,
    // The path as sent, stage included ("/{stage}/root/child").
    'path': request.rawPath,
    'protocol': request.protocol,
    'routeKey': request.routeKey,
    'stage': request.stage,
    'requestTime': clfTime(request.timeEpoch),
    'requestTimeEpoch': String(request.timeEpoch),
    'identity.sourceIp': request.sourceIp,
    'identity.userAgent': header(request, 'user-agent') ?? '',
  };
  const authorizer = request.authorizer;
  if (authorizer?.principalId) vars['authorizer.principalId'] = authorizer.principalId;
  for (const [key, value] of Object.entries(authorizer?.lambda ?? {})) vars[`authorizer.${key}`] = String(value);
  // Claims are already text, as AWS passes them on.
  for (const [key, value] of Object.entries(authorizer?.jwt?.claims ?? {})) vars[`authorizer.claims.${key}`] = value;
  return vars;
}
