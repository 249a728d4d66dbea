import { vtlUtil } from './vtl-util';
import { selectPath } from '../mapping/json-path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const velocity = require('velocityjs');

/** What a mapping template can read. */
export interface TemplateInput {
  /** The message (or, for response templates, the integration's answer) as text. */
  readonly body: string;
  /** `$context.*`: names without `$context.`, nested as the template walks them (`identity.sourceIp`). */
  readonly context: Record<string, unknown>;
  readonly stageVariables: Record<string, string>;
  /** `$input.params()`: the $connect request's headers and query string. */
  readonly params?: { readonly header: Record<string, string>; readonly querystring: Record<string, string>; readonly path: Record<string, string> };
}

/**
 * Renders an API Gateway mapping template with velocityjs and the variables
 * AWS gives templates
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-mapping-template-reference.html):
 * `$context`, `$stageVariables`, `$util`, and `$input` with `body`,
 * `json(path)` (the selection as JSON text), `path(path)` (the selection as
 * an object) and `params()`. JSONPath is the mapping subset: `$`, members and indexes.
 */
export function renderTemplate(template: string, input: TemplateInput): string {
  let document: unknown;
  let parsed = false;
  const json = () => {
    if (!parsed) {
      parsed = true;
      try {
        document = JSON.parse(input.body);
      } catch {
        document = undefined;
      }
    }
    return document;
  };
  const select = (path: unknown) => {
    const p = String(path ?? '$').trim();
    if (p === '$') return json();
    return selectPath(json(), p.replace(/^\$\.?/, ''));
  };
  const params = input.params ?? { header: {}, querystring: {}, path: {} };
  const $input = {
    body: input.body,
    json: (path: unknown) => JSON.stringify(select(path) ?? null),
    path: (path: unknown) => select(path),
    params: (name?: unknown) => {
      if (name === undefined) return params;
      const key = String(name);
      return params.path[key] ?? params.querystring[key] ?? params.header[key] ?? '';
    },
  };
  return velocity.render(template, { context: input.context, input: $input, util: vtlUtil, stageVariables: input.stageVariables });
}
