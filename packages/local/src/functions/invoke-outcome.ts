/**
 * The result of one synchronous invocation: the handler's JSON result, or
 * the error Lambda would report. `throttled` marks Lambda's own refusal to
 * run it (429 `TooManyRequestsException`, the function's reserved
 * concurrency in use), which callers answer differently from a function error;
 * `unhandled` an error the runtime never reported (a timeout, the memory
 * limit, a crash), Lambda's `X-Amz-Function-Error: Unhandled`.
 */
export type InvokeOutcome =
  | { readonly ok: true; readonly payload: unknown; /** The version that ran (`$LATEST` or a number). */ readonly executedVersion?: string }
  | {
    readonly ok: false;
    readonly errorType: string;
    readonly errorMessage: string;
    readonly throttled?: boolean;
    readonly unhandled?: boolean;
    /** The event was past Lambda's payload limit and the function never ran (Lambda's 413 `RequestEntityTooLargeException`). */
    readonly tooLarge?: boolean;
  };

/** What an invocation the runner's stop cut short, or one arriving after it, answers. */
export const STOPPED: InvokeOutcome = { ok: false, errorType: 'Runtime.Stopped', errorMessage: 'the local runner stopped' };

/**
 * "For synchronous invocations, the maximum payload size is 6 MB", each way
 * (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html; Lambda
 * quotas: "Invocation payload (request and response) 6 MB"), counted on the
 * JSON-encoded event and result, as Lambda receives and returns them.
 */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** An event past the limit: refused before any environment runs it. */
export function requestTooLarge(bytes: number): InvokeOutcome {
  return {
    ok: false,
    errorType: 'RequestEntityTooLargeException',
    errorMessage: `${bytes} bytes: the request payload must be at most ${MAX_PAYLOAD_BYTES} bytes for a synchronous invocation`,
    tooLarge: true,
  };
}

/** A result past the limit: the invocation fails as a function error. */
export function responseTooLarge(bytes: number): InvokeOutcome {
  return {
    ok: false,
    errorType: 'Function.ResponseSizeTooLarge',
    errorMessage: `${bytes} bytes: the response payload exceeds the maximum of ${MAX_PAYLOAD_BYTES} bytes for a synchronous invocation`,
    unhandled: true,
  };
}
