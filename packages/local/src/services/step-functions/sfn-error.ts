/**
 * An error of the Step Functions API: `type` is the `__type` the SDK turns
 * into an exception class (ExecutionDoesNotExist, InvalidArn, ...).
 */
export class SfnError extends Error {
  /** 400 for Step Functions' own errors; 501 for what the runner does not run. */
  constructor(public readonly type: string, message: string, public readonly status = 400) {
    super(message);
    this.name = type;
  }
}
