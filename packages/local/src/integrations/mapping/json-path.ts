/**
 * The JSONPath subset HTTP APIs accept in `$request.body.<path>` and
 * `$response.body.<path>`: member names and array indexes (`a.b[0].c`,
 * `['a b']`); recursive descent and filters are not supported
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html).
 * Returns undefined for a path that selects nothing or that uses more than the subset.
 */
export function selectPath(document: unknown, path: string): unknown {
  const steps = parseSteps(path);
  if (!steps) return undefined;
  let current: any = document;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number' ? !Array.isArray(current) : Array.isArray(current)) return undefined;
    current = current[step];
    if (current === undefined) return undefined;
  }
  return current;
}

/** A selected value as mapping puts it into a parameter: strings as they are, anything else as JSON. */
export function mappedText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function parseSteps(path: string): Array<string | number> | undefined {
  const steps: Array<string | number> = [];
  const pattern = /\.?([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let at = 0;
  while (at < path.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(path);
    if (!m || (m.index === 0 && path.startsWith('.'))) return undefined;
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3] ?? m[4]));
    at = pattern.lastIndex;
  }
  return steps.length ? steps : undefined;
}
