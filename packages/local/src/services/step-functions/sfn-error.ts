/**
 * An error of the Step Functions API: `type` is the `__type` the SDK turns
 * into an exception class (ExecutionDoesNotExist, InvalidArn, ...).
 */
export class SfnError extends Error {
  constructor(public readonly type: string, message: string) {
    super(message);
    this.name = type;
  }
}
