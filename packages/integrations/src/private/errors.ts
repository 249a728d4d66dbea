import { ValidationError } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Raised at synth time for a configuration API Gateway would reject at deploy
 * time (or accept and then fail every request). The message names the class,
 * the prop, the fix and, once the integration is bound to a route, the
 * construct path. It is an aws-cdk-lib validation error:
 * `Errors.isValidationError(e)` is true, as for aws-cdk-lib's own.
 */
export class IntegrationConfigError extends ValidationError {
  /** A stable code per condition (`StopOnExpress`, `TimeoutOutOfRange`, ...). */
  public readonly code: string;

  constructor(code: string, message: string, scope?: IConstruct) {
    // aws-cdk-lib's errors accept no scope only in their unscoped variant; ours are
    // raised without one when a prop is wrong before the integration is bound.
    // The name's type is a branded literal whose tag is private to aws-cdk-lib; ours is a literal too.
    super('IntegrationConfigError' as ConstructorParameters<typeof ValidationError>[0], scope ? `${message} (at ${scope.node.path})` : message, scope as IConstruct);
    // ValidationError pins the prototype to its own class; restore ours.
    Object.setPrototypeOf(this, IntegrationConfigError.prototype);
    this.code = code;
  }
}

/** Throws an IntegrationConfigError for `owner`'s `prop`, explaining the fix. */
export function configError(scope: IConstruct | undefined, code: string, owner: string, prop: string, problem: string, fix: string): never {
  throw new IntegrationConfigError(code, `[${owner}] ${prop}: ${problem}. Fix: ${fix}.`, scope);
}
