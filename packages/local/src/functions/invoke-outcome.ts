/**
 * The result of one synchronous invocation: the handler's JSON result, or
 * the error Lambda would report. `throttled` marks Lambda's own refusal to
 * run it (429 `TooManyRequestsException`, the function's reserved
 * concurrency in use), which callers answer differently from a function error;
 * `unhandled` an error the runtime never reported (a timeout, the memory
 * limit, a crash), Lambda's `X-Amz-Function-Error: Unhandled`.
 */
export type InvokeOutcome =
  | { readonly ok: true; readonly payload: unknown }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string; readonly throttled?: boolean; readonly unhandled?: boolean };

/** What an invocation the runner's stop cut short, or one arriving after it, answers. */
export const STOPPED: InvokeOutcome = { ok: false, errorType: 'Runtime.Stopped', errorMessage: 'the local runner stopped' };
