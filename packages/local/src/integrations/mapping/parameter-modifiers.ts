import { evaluateMapping, MappedResponse } from './mapping-expression';
import { ApiRequest } from '../api-request';

/** The request an HTTP integration sends, while mapping changes it. */
export interface OutgoingRequest {
  path: string;
  /** Decoded name and value, and the pair's text as the client sent it (kept as sent unless mapping changes it). */
  readonly query: QueryPair[];
  readonly headers: Array<[string, string]>;
}

/** A query parameter: decoded name and value, and its raw `name=value` text when it came from the client. */
export type QueryPair = [string, string, string?];

type Pairs = Array<[string, string, string?]>;

/**
 * Applies an HTTP integration's `RequestParameters`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html):
 * `overwrite:path`, and `append:` / `overwrite:` / `remove:` for `header.<name>`
 * and `querystring.<name>`. Header names match case-insensitively, query
 * names exactly. An append to a header joins its values and the new one
 * with commas into one header; to a query parameter, it adds another pair.
 */
export function applyRequestParameters(parameters: Record<string, string>, request: ApiRequest, out: OutgoingRequest): void {
  for (const [key, expression] of Object.entries(parameters)) {
    const [action, target] = split(key);
    const value = action === 'remove' ? '' : evaluateMapping(String(expression), request) ?? '';
    if (target === 'path' && action === 'overwrite') {
      out.path = value.startsWith('/') ? value : `/${value}`;
    } else if (target.startsWith('header.')) {
      modify(out.headers, target.slice('header.'.length), action, value, true);
    } else if (target.startsWith('querystring.')) {
      modify(out.query, target.slice('querystring.'.length), action, value, false);
    }
  }
}

/**
 * Applies the `ResponseParameters` entry for the integration's status code:
 * `overwrite:statuscode` and header modifiers, with `$response.*` values.
 */
export function applyResponseParameters(
  parameters: Record<string, Record<string, string>>, request: ApiRequest, response: MappedResponse,
): MappedResponse {
  const forStatus = parameters[String(response.statusCode)];
  if (!forStatus) return response;
  let statusCode = response.statusCode;
  const headers: Pairs = response.headers.map(([n, v]) => [n, v]);
  for (const [key, expression] of Object.entries(forStatus)) {
    const [action, target] = split(key);
    const value = action === 'remove' ? '' : evaluateMapping(String(expression), request, response) ?? '';
    if (target === 'statuscode' && action === 'overwrite') {
      const code = Number(value);
      if (Number.isInteger(code) && code >= 200 && code <= 599) statusCode = code;
    } else if (target.startsWith('header.')) {
      modify(headers, target.slice('header.'.length), action, value, true);
    }
  }
  return { ...response, statusCode, headers: headers.map(([n, v]): [string, string] => [n, v]) };
}

function split(key: string): [string, string] {
  const colon = key.indexOf(':');
  return [key.slice(0, colon).toLowerCase(), key.slice(colon + 1)];
}

function modify(pairs: Pairs, name: string, action: string, value: string, caseInsensitive: boolean): void {
  const same = (n: string) => (caseInsensitive ? n.toLowerCase() === name.toLowerCase() : n === name);
  const drop = () => {
    for (let i = pairs.length - 1; i >= 0; i--) if (same(pairs[i][0])) pairs.splice(i, 1);
  };
  if (action === 'remove') {
    drop();
  } else if (action === 'overwrite') {
    drop();
    pairs.push([name, value]);
  } else if (action === 'append' && caseInsensitive) {
    // Repeated header lines become one comma-joined value, as API Gateway combines them.
    const values = pairs.filter(([n]) => same(n)).map(([, v]) => v);
    drop();
    pairs.push([name, [...values, value].join(',')]);
  } else if (action === 'append') {
    pairs.push([name, value]);
  }
}
