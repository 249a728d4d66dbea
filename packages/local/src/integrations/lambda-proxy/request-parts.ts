import { ApiRequest } from '../api-request';

/**
 * Content types whose bodies reach Lambda as text. API Gateway documents no
 * rule for HTTP APIs; AWS's own description is that the Lambda integration
 * "infers the need for encoding based on the content-type header". The
 * runner's choice: text/*, JSON, XML, JavaScript and form bodies as text,
 * anything else (and no content type) base64-encoded.
 */
const TEXT_TYPES = [/^text\//, /^application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b/, /\+(json|xml)\b/];

/** Whether the body goes to Lambda base64-encoded. */
export function isBinary(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.toLowerCase();
  return !TEXT_TYPES.some((pattern) => pattern.test(type));
}

/** The body as the event carries it, or undefined when the request has none. */
export function eventBody(request: ApiRequest): { body?: string; isBase64Encoded: boolean } {
  if (request.body.length === 0) return { isBase64Encoded: false };
  const binary = isBinary(header(request, 'content-type'));
  return { body: request.body.toString(binary ? 'base64' : 'utf8'), isBase64Encoded: binary };
}

/** The last value of a header (names compared case-insensitively). */
export function header(request: ApiRequest, name: string): string | undefined {
  const found = request.headers.filter(([n]) => n.toLowerCase() === name);
  return found.length ? found[found.length - 1][1] : undefined;
}

/** Header values by lower-cased name, in order. */
export function headerLists(request: Pick<ApiRequest, 'headers'>): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const [name, value] of request.headers) {
    const key = name.toLowerCase();
    lists.set(key, [...(lists.get(key) ?? []), value]);
  }
  return lists;
}

/** Query parameter values by name, decoded, in order. */
export function queryLists(rawQueryString: string): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  if (!rawQueryString) return lists;
  for (const pair of rawQueryString.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return lists;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** `undefined` for an empty record, as API Gateway leaves out empty fields. */
export function orUndefined<T>(record: Record<string, T>): Record<string, T> | undefined {
  return Object.keys(record).length ? record : undefined;
}

/** `12/Mar/2020:19:03:58 +0000`, the `time` / `requestTime` format of the events. */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
