import { IConstruct } from 'constructs';

/**
 * Raised at synth time for a configuration API Gateway would reject at deploy
 * time (or accept and then fail every request). The message names the class,
 * the prop and the fix.
 */
export class IntegrationConfigError extends Error {
  constructor(public readonly code: string, message: string, public readonly path?: string) {
    super(path ? `${message} (at ${path})` : message);
    this.name = 'IntegrationConfigError';
  }
}

/** Throws an IntegrationConfigError for `owner`'s `prop`, explaining the fix. */
export function configError(scope: IConstruct | undefined, code: string, owner: string, prop: string, problem: string, fix: string): never {
  throw new IntegrationConfigError(code, `[${owner}] ${prop}: ${problem}. Fix: ${fix}.`, scope?.node.path);
}
