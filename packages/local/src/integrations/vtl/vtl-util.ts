/**
 * `$util` of API Gateway mapping templates, function by function as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-mapping-template-reference.html
 * lists them.
 */
export const vtlUtil = {
  /**
   * JavaScript string escaping as API Gateway does it (Java's
   * StringEscapeUtils rules): quotes (single ones too, which AWS warns is not
   * valid JSON), backslash, slash, control characters, and anything outside
   * ASCII as `\uXXXX`.
   */
  escapeJavaScript(value: unknown): string {
    return String(value ?? '').replace(/["'\\/\u0000-\u001f\u0080-\uffff]/g, (c) => {
      switch (c) {
        case '"': return '\\"';
        case '\'': return '\\\'';
        case '\\': return '\\\\';
        case '/': return '\\/';
        case '\b': return '\\b';
        case '\f': return '\\f';
        case '\n': return '\\n';
        case '\r': return '\\r';
        case '\t': return '\\t';
        default: return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      }
    });
  },
  /** A JSON string as an object a template can walk; invalid JSON gives null. */
  parseJson(value: unknown): unknown {
    try {
      return JSON.parse(String(value));
    } catch {
      return null;
    }
  },
  /** application/x-www-form-urlencoded, as Java's URLEncoder: spaces become `+`. */
  urlEncode(value: unknown): string {
    return encodeURIComponent(String(value ?? '')).replace(/%20/g, '+').replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  },
  urlDecode(value: unknown): string {
    try {
      return decodeURIComponent(String(value ?? '').replace(/\+/g, ' '));
    } catch {
      return String(value ?? '');
    }
  },
  base64Encode(value: unknown): string {
    return Buffer.from(String(value ?? ''), 'utf8').toString('base64');
  },
  base64Decode(value: unknown): string {
    return Buffer.from(String(value ?? ''), 'base64').toString('utf8');
  },
};
