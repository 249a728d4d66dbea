/**
 * Something in the template the runner does not emulate (yet): listed at
 * startup under "not emulated"; a request that needs it gets 501.
 */
export interface NotEmulated {
  /** What is missing, as the 501 body names it: `integration type HTTP_PROXY`. */
  readonly what: string;
  /** Where the template uses it: a logical id, a route key. */
  readonly where: string;
}
