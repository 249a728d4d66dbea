import { Authorizer, forbidden, identityValues, unauthorized, Verdict } from './authorizer';
import { isPolicyResponse, policyAllows } from './iam-policy';
import { FunctionPool } from '../../functions/function-pool';
import { ApiRequest, messageResponse } from '../api-request';
import { eventV1 } from '../lambda-proxy/event-v1';
import { eventV2 } from '../lambda-proxy/event-v2';

/** A Lambda REQUEST authorizer as the template defines it. */
export interface LambdaAuthorizerSettings {
  readonly functionArn: string;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly enableSimpleResponses: boolean;
  readonly identitySource: string[];
  readonly region: string;
  /** `AuthorizerResultTtlInSeconds`: answers are cached this long by identity sources; 0 caches nothing. @default 0 */
  readonly resultTtlSeconds?: number;
  /** How long the authorizer may take. @default AUTHORIZER_LIMIT_MS */
  readonly limitMs?: number;
  /** The cache's clock (ms). @default Date.now */
  readonly clock?: () => number;
}

/** HTTP APIs' quota: "Timeout for Lambda authorizer response: 10000 ms" (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html). */
export const AUTHORIZER_LIMIT_MS = 10_000;

/** Cache size past which expired entries are swept. */
const PRUNE_AT = 1_000;

/**
 * A Lambda REQUEST authorizer run in the functions' execution environments
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html):
 * a missing identity source is 401 without an invocation; the event is the
 * request in the authorizer's payload format, without the body; the answer
 * is a simple response (`isAuthorized`, 2.0 with simple responses on) or an
 * IAM policy for `execute-api:Invoke` on the route's ARN. A denial is 403
 * (the runner's body, `{"message":"Forbidden"}`); a failed invocation, an
 * answer of neither shape, or no answer within 10 s is 500, as AWS
 * documents. With `AuthorizerResultTtlInSeconds`, answers are cached by
 * the identity sources' values for that long.
 */
export class LambdaAuthorizer implements Authorizer {
  private readonly cache = new Map<string, { readonly answer: unknown; readonly expiresAt: number }>();

  constructor(
    private readonly pool: FunctionPool,
    private readonly settings: LambdaAuthorizerSettings,
    private readonly log: (line: string) => void,
  ) {}

  public async authorize(request: ApiRequest): Promise<Verdict> {
    const identity = identityValues(this.settings.identitySource, request);
    if (this.settings.identitySource.length > 0 && !identity) return unauthorized();
    const routeArn = this.routeArn(request);
    const key = this.cacheKey(identity);
    let answer = key === undefined ? undefined : this.cached(key);
    if (answer === undefined) {
      const outcome = await this.invoke(this.event(request, routeArn, identity ?? []));
      if (!outcome.ok) return this.failed(request, outcome.reason);
      answer = outcome.payload;
      if (key !== undefined && this.shapeOf(answer)) this.remember(key, answer);
    }
    return this.verdict(request, answer, routeArn);
  }

  /** The answer's verdict: a cached answer is judged again, so a cached policy is checked against this route's ARN. */
  private verdict(request: ApiRequest, answer: any, routeArn: string): Verdict {
    const shape = this.shapeOf(answer);
    if (shape === 'simple') return answer.isAuthorized ? { allow: true, result: { lambda: answer.context ?? {} } } : forbidden();
    if (shape === 'policy') {
      if (!policyAllows(answer.policyDocument, routeArn)) return forbidden();
      return { allow: true, result: { lambda: answer.context ?? {}, principalId: answer.principalId } };
    }
    return this.failed(request, `the authorizer's answer is neither a simple nor an IAM-policy response: ${JSON.stringify(answer)?.slice(0, 200)}`);
  }

  private shapeOf(answer: any): 'simple' | 'policy' | undefined {
    if (this.settings.payloadFormatVersion === '2.0' && this.settings.enableSimpleResponses && typeof answer?.isAuthorized === 'boolean') return 'simple';
    return isPolicyResponse(answer) ? 'policy' : undefined;
  }

  /**
   * The cache key: the identity sources' values, as "API Gateway uses the
   * authorizer's identity sources as the cache key"; nothing is cached with
   * a TTL of 0, or without identity sources (AWS requires them when caching
   * is on).
   */
  private cacheKey(identity: string[] | undefined): string | undefined {
    if (!this.settings.resultTtlSeconds || !identity || identity.length === 0) return undefined;
    return JSON.stringify(identity);
  }

  /** Caches an answer; expired entries go when the cache grows, so that a long run with many identities does not keep them all. */
  private remember(key: string, answer: unknown): void {
    const now = this.now();
    if (this.cache.size >= PRUNE_AT) for (const [k, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(k);
    this.cache.set(key, { answer, expiresAt: now + this.settings.resultTtlSeconds! * 1000 });
  }

  private cached(key: string): unknown {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.answer;
    this.cache.delete(key);
    return undefined;
  }

  private now(): number {
    return (this.settings.clock ?? Date.now)();
  }

  /** The invocation, bounded by the authorizer limit; past it the answer is a failure, whatever the function does later. */
  private async invoke(event: Record<string, unknown>): Promise<{ ok: true; payload: unknown } | { ok: false; reason: string }> {
    const limitMs = this.settings.limitMs ?? AUTHORIZER_LIMIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ ok: false; reason: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, reason: `the authorizer did not answer within ${limitMs} ms` }), limitMs);
    });
    const invoked = this.pool.invoke(this.settings.functionArn, event).then((outcome) => outcome.ok
      ? { ok: true as const, payload: outcome.payload }
      : { ok: false as const, reason: `the authorizer failed: ${outcome.errorType}: ${outcome.errorMessage}` });
    try {
      return await Promise.race([invoked, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<method><path>`, the resource an IAM policy names. */
  private routeArn(request: ApiRequest): string {
    const route = request.routeKey === '$default' ? '$default' : `${request.method}${request.routePath}`;
    return `arn:aws:execute-api:${this.settings.region}:${request.api.accountId}:${request.api.id}/${request.stage}/${route}`;
  }

  private event(request: ApiRequest, routeArn: string, identity: string[]): Record<string, unknown> {
    if (this.settings.payloadFormatVersion === '2.0') {
      const { body: _b, isBase64Encoded: _i, ...rest } = eventV2(request);
      return { ...rest, type: 'REQUEST', routeArn, identitySource: identity };
    }
    const routePath = request.routeKey === '$default' ? '$default' : request.routeKey.split(/\s+/)[1];
    const { body: _b, isBase64Encoded: _i, ...rest } = eventV1(request, routePath);
    return { ...rest, type: 'REQUEST', methodArn: routeArn, identitySource: identity.join(','), authorizationToken: identity[0] };
  }

  private failed(request: ApiRequest, reason: string): Verdict {
    this.log(`${request.routeKey} (${request.requestId}): ${reason}`);
    return { allow: false, response: messageResponse(500, 'Internal Server Error') };
  }
}
