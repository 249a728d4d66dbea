import { mappedText, selectPath } from '../mapping/json-path';

/**
 * Evaluates a WebSocket selection expression (route selection, template
 * selection) against a message
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-selection-expressions.html):
 * `$request.body.<path>`, `${request.body.<path>}` parts combined with
 * static text, `\$` for a literal dollar. A path the message lacks counts as
 * an empty string. A message that is not JSON gives undefined when the
 * expression reads the body: it goes to `$default`.
 */
export function evaluateSelection(expression: string, body: string | undefined): string | undefined {
  let document: unknown;
  let readsBody = false;
  let parsed = false;
  const read = (path: string): string | undefined => {
    readsBody = true;
    if (!parsed) {
      parsed = true;
      try {
        document = JSON.parse(body ?? '');
      } catch {
        document = undefined;
      }
    }
    if (document === undefined || document === null || typeof document !== 'object') return undefined;
    return mappedText(selectPath(document, path)) ?? '';
  };
  let failed = false;
  const value = expression
    .replace(/\\\$/g, '\u0000')
    .replace(/\$\{request\.body\.([^}]+)\}|\$request\.body\.([A-Za-z0-9_.[\]'"-]+)/g, (_, braced: string, bare: string) => {
      const v = read(braced ?? bare);
      if (v === undefined) failed = true;
      return v ?? '';
    })
    .replace(/\u0000/g, '$');
  return failed && readsBody ? undefined : value;
}
