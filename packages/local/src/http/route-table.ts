/** One route of an API: `$default`, or a method (or `ANY`) and a path pattern. */
export interface RouteEntry<T> {
  readonly routeKey: string;
  readonly value: T;
}

/** The route a request matched, with its path parameters (URL-decoded). */
export interface RouteMatch<T> {
  readonly entry: RouteEntry<T>;
  readonly pathParameters: Record<string, string>;
}

type Segment = { kind: 'literal'; text: string } | { kind: 'param'; name: string } | { kind: 'greedy'; name: string };

interface Pattern<T> {
  readonly entry: RouteEntry<T>;
  readonly method: string;
  readonly segments: Segment[];
  readonly greedy: boolean;
}

function parseSegment(segment: string): Segment {
  const variable = /^\{([^{}]+?)(\+?)\}$/.exec(segment);
  if (!variable) return { kind: 'literal', text: segment };
  return variable[2] ? { kind: 'greedy', name: variable[1] } : { kind: 'param', name: variable[1] };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Higher is more specific: a literal segment over a `{param}` over a greedy `{proxy+}`. */
const SCORE = { literal: 2, param: 1, greedy: 0 } as const;

/**
 * Matches requests to an HTTP API's routes as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 * describes: the most specific route first (a full match before a greedy
 * `{proxy+}` match; among those, literal segments before `{param}` ones, left
 * to right), a route's own method before its `ANY` ("ANY matches all methods
 * that you haven't defined for a route"), and the `$default` route last.
 */
export class RouteTable<T> {
  private readonly patterns: Array<Pattern<T>>;
  private readonly fallback?: RouteEntry<T>;

  constructor(entries: Array<RouteEntry<T>>) {
    this.fallback = entries.find((e) => e.routeKey === '$default');
    this.patterns = entries
      .filter((e) => e.routeKey !== '$default')
      .map((entry) => {
        const [method, path = ''] = entry.routeKey.split(/\s+/, 2);
        const segments = path.split('/').slice(1).map(parseSegment);
        return { entry, method: method.toUpperCase(), segments, greedy: segments.some((s) => s.kind === 'greedy') };
      })
      .sort(compareSpecificity);
  }

  /** The route for `method` and `path` (without the stage prefix, still URL-encoded), or undefined: 404. */
  public match(method: string, path: string): RouteMatch<T> | undefined {
    const parts = path.split('/').slice(1);
    const candidates = this.patterns
      .map((p) => ({ p, params: matchSegments(p.segments, parts) }))
      .filter((c) => c.params !== undefined && (c.p.method === method || c.p.method === 'ANY'));
    // Patterns are sorted; an exact method beats ANY only for the same path pattern.
    const best = candidates[0];
    if (best) {
      const exact = candidates.find((c) => c.p.method === method && samePattern(c.p, best.p));
      const chosen = exact ?? best;
      return { entry: chosen.p.entry, pathParameters: chosen.params! };
    }
    return this.fallback ? { entry: this.fallback, pathParameters: {} } : undefined;
  }
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('/') === '') return undefined;
      params[segment.name] = rest.map(decodeSegment).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (decodeSegment(part) !== segment.text) return undefined;
    } else {
      if (part === '') return undefined;
      params[segment.name] = decodeSegment(part);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

function compareSpecificity<T>(a: Pattern<T>, b: Pattern<T>): number {
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const sa = a.segments[i] ? SCORE[a.segments[i].kind] : -1;
    const sb = b.segments[i] ? SCORE[b.segments[i].kind] : -1;
    if (sa !== sb) return sb - sa;
  }
  // Same shape: a route's own method before ANY.
  return Number(a.method === 'ANY') - Number(b.method === 'ANY');
}

function samePattern<T>(a: Pattern<T>, b: Pattern<T>): boolean {
  return a.segments.length === b.segments.length && a.segments.every((s, i) => s.kind === b.segments[i].kind
    && (s.kind !== 'literal' || s.text === (b.segments[i] as { text: string }).text));
}
