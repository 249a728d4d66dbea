import { mappedText, selectPath } from './json-path';
import { ApiRequest } from '../api-request';
import { requestContextVariables } from '../context-variables';
import { headerLists, queryLists } from '../lambda-proxy/request-parts';

/** An integration's answer, for response parameter mapping. */
export interface MappedResponse {
  readonly statusCode: number;
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/** Mapping reads at most this much of a body before selecting from it (http-api-parameter-mapping.html). */
const BODY_LIMIT = 100 * 1024;

/**
 * Evaluates one parameter-mapping value of an HTTP API
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html):
 * a whole `$request.*`, `$response.*`, `$context.*` or `$stageVariables.*`
 * expression, a text with `${...}` parts (each missing part becomes empty),
 * or static text. A whole expression that selects nothing is undefined.
 * Headers and query parameters with several values give them comma-joined,
 * as AWS documents.
 */
export function evaluateMapping(expression: string, request: ApiRequest, response?: MappedResponse): string | undefined {
  const lookup = (source: string) => valueOf(source, request, response);
  if (expression.includes('${')) return expression.replace(/\$\{([^}]+)\}/g, (_, source: string) => lookup(source) ?? '');
  if (/^\$(request|response|context|stageVariables)\b/.test(expression)) return lookup(expression.slice(1));
  return expression;
}

function valueOf(source: string, request: ApiRequest, response?: MappedResponse): string | undefined {
  const [kind, ...rest] = source.split('.');
  const name = rest.join('.');
  switch (kind) {
    case 'context': return requestContextVariables(request)[name];
    case 'stageVariables': return request.stageVariables[name];
    case 'request': return requestValue(rest[0], rest.slice(1).join('.'), request);
    case 'response': return response ? responseValue(rest[0], rest.slice(1).join('.'), response) : undefined;
    default: return undefined;
  }
}

function requestValue(part: string, name: string, request: ApiRequest): string | undefined {
  switch (part) {
    // Header names case-insensitive, query names case-sensitive, as AWS documents.
    case 'header': return headerLists(request).get(name.toLowerCase())?.join(',');
    case 'querystring': return queryLists(request.rawQueryString).get(name)?.join(',');
    case 'path': return name ? request.pathParameters[name] : request.routePath;
    case 'body': return name ? bodyValue(request.body, name) : request.body.toString('utf8');
    default: return undefined;
  }
}

function responseValue(part: string, name: string, response: MappedResponse): string | undefined {
  if (part === 'header') {
    const values = response.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
    return values.length ? values.join(',') : undefined;
  }
  if (part === 'body') return name ? bodyValue(response.body, name) : response.body.toString('utf8');
  return undefined;
}

function bodyValue(body: Buffer, path: string): string | undefined {
  try {
    return mappedText(selectPath(JSON.parse(body.subarray(0, BODY_LIMIT).toString('utf8')), path));
  } catch {
    return undefined;
  }
}
