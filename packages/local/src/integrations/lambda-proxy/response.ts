import { ApiResponse } from '../api-request';

/** A Lambda result that does not follow its payload format: API Gateway answers 500. */
export class MalformedResult extends Error {}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function statusCode(value: unknown): number {
  const code = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  // A 1xx would be an interim response: the client would wait for a final one that never comes. AWS documents
  // 200-599 for the status codes a response may be selected by (ResponseParameters); the runner holds Lambda results to it.
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 200 || code > 599) {
    throw new MalformedResult(`statusCode ${JSON.stringify(value)} is not a final HTTP status code (200-599)`);
  }
  return code;
}

// RFC 9110 field names are tokens; values carry no CR, LF or NUL (node refuses to send them).
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[\r\n\0]/;

function headerPairs(headers: unknown, field: string): Array<[string, string]> {
  if (headers === undefined || headers === null) return [];
  if (!isRecord(headers)) throw new MalformedResult(`${field} must be an object`);
  return Object.entries(headers).flatMap(([name, value]): Array<[string, string]> => {
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => {
      if (!['string', 'number', 'boolean'].includes(typeof v)) throw new MalformedResult(`${field}.${name} must be a string`);
      if (!HEADER_NAME.test(name) || BAD_VALUE.test(String(v))) throw new MalformedResult(`${field}.${name} is not a valid HTTP header`);
      return [name.toLowerCase(), String(v)];
    });
  });
}

function body(result: Json): Buffer {
  if (result.body === undefined || result.body === null) return Buffer.alloc(0);
  if (typeof result.body !== 'string') throw new MalformedResult('body must be a string');
  return Buffer.from(result.body, result.isBase64Encoded === true ? 'base64' : 'utf8');
}

/**
 * Maps a payload format 2.0 result to the response
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response):
 * a result with `statusCode` gives status, headers, each cookie as its own
 * `set-cookie` and the (possibly base64) body; any other valid JSON is
 * inferred as 200, `content-type: application/json`, with the result as body
 * (a string result as the string itself).
 */
export function responseV2(result: unknown): ApiResponse {
  if (!isRecord(result) || !('statusCode' in result)) {
    const text = typeof result === 'string' ? result : JSON.stringify(result);
    return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(text, 'utf8') };
  }
  const cookies = result.cookies ?? [];
  if (!Array.isArray(cookies) || cookies.some((c) => typeof c !== 'string' || BAD_VALUE.test(c))) throw new MalformedResult('cookies must be a list of strings');
  return {
    statusCode: statusCode(result.statusCode),
    headers: [...headerPairs(result.headers, 'headers'), ...cookies.map((c): [string, string] => ['set-cookie', c])],
    body: body(result),
  };
}

/**
 * Maps a payload format 1.0 result, which must carry `statusCode`; `headers`
 * and `multiValueHeaders` are merged, a name in both taking the multi-value
 * list (as API Gateway documents for its 1.0 format:
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format).
 */
export function responseV1(result: unknown): ApiResponse {
  if (!isRecord(result) || !('statusCode' in result)) throw new MalformedResult('a payload format 1.0 result needs a statusCode');
  const multi = headerPairs(result.multiValueHeaders, 'multiValueHeaders');
  const multiNames = new Set(multi.map(([name]) => name));
  const single = headerPairs(result.headers, 'headers').filter(([name]) => !multiNames.has(name));
  return { statusCode: statusCode(result.statusCode), headers: [...single, ...multi], body: body(result) };
}
