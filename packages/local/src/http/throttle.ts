import { ThrottleModel } from '../model/http-apis';

/** Milliseconds since some fixed point; tests pass a fake one. */
export type Clock = () => number;

/**
 * One route's token bucket, as HTTP APIs throttle
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html):
 * the bucket holds up to `burstLimit` tokens, refills at `rateLimit` tokens
 * a second, and a request takes one token or is refused. A missing rate
 * does not refill; a missing burst allows one second's rate. The clock is
 * injected, so tests are exact.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private readonly capacity: number;
  private readonly perMs: number;

  constructor(settings: ThrottleModel, private readonly clock: Clock) {
    this.perMs = (settings.rateLimit ?? 0) / 1000;
    this.capacity = settings.burstLimit ?? Math.max(1, Math.ceil(settings.rateLimit ?? 0));
    this.tokens = this.capacity;
    this.last = clock();
  }

  /** Takes a token if there is one. */
  public take(): boolean {
    const now = this.clock();
    this.tokens = Math.min(this.capacity, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * The buckets of one stage: a route with its own `RouteSettings` throttle
 * uses those, every other route the stage's `DefaultRouteSettings`, each
 * route with a bucket of its own. A route with neither is not throttled
 * (account-level limits are not emulated).
 */
export class StageThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly defaults: ThrottleModel | undefined,
    private readonly perRoute: Record<string, ThrottleModel>,
    private readonly clock: Clock,
  ) {}

  /** Whether a request to `routeKey` may go on. */
  public admit(routeKey: string): boolean {
    const settings = this.perRoute[routeKey] ?? this.defaults;
    if (!settings) return true;
    let bucket = this.buckets.get(routeKey);
    if (!bucket) {
      bucket = new TokenBucket(settings, this.clock);
      this.buckets.set(routeKey, bucket);
    }
    return bucket.take();
  }
}
