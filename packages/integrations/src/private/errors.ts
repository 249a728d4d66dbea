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

  /**
   * @param code the condition, also the error's `name` (as aws-cdk-lib names its errors)
   * @param where the construct the error is about, or, before the integration
   *   is bound to a route (a constructor prop), the integration's id
   */
  constructor(code: string, message: string, where?: IConstruct | string) {
    const scope = typeof where === 'string' ? undefined : where;
    const location = typeof where === 'string' ? ` (integration '${where}', before it is bound to a route)` : where ? ` (at ${where.node.path})` : '';
    // The name's type is a branded literal whose tag is private to aws-cdk-lib; our codes are literals too.
    // Without a scope aws-cdk-lib renders no construct tree, as for its unscoped errors.
    super(code as ConstructorParameters<typeof ValidationError>[0], `${message}${location}`, scope as IConstruct);
    // ValidationError pins the prototype to its own class; restore the subclass's.
    Object.setPrototypeOf(this, new.target.prototype);
    this.code = code;
  }
}

/**
 * Throws an IntegrationConfigError for `owner`'s `prop`, explaining the fix; `where` as in its constructor.
 * The pattern packages import it by path (`@apigw-blueprints/integrations/lib/private/errors`):
 * aws-cdk-lib's ValidationError is internal to it, so the class cannot be part of
 * our jsii API. The packages ship in lockstep; test/private/errors.test.ts pins
 * the path and the signature.
 */
export function configError(where: IConstruct | string, code: string, owner: string, prop: string, problem: string, fix: string): never {
  throw new IntegrationConfigError(code, `[${owner}] ${prop}: ${problem}. Fix: ${fix}.`, where);
}
