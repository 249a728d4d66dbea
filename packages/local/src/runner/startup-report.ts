import { NotEmulated } from '../model/not-emulated';

/**
 * What startup found worth telling the user, collected while the runner
 * wires the stack: what it does not emulate, and warnings. Each is reported
 * once, however many routes or steps find it.
 */
export class StartupReport {
  private readonly missing = new Map<string, NotEmulated>();
  private readonly warned = new Map<string, string>();

  /** Records something the stack uses and the runner cannot run. */
  public notEmulated(what: string, where: string): void {
    const key = `${what}|${where}`;
    if (!this.missing.has(key)) this.missing.set(key, { what, where });
  }

  /** Records a warning under `key`; a later one with the same key is dropped. */
  public warnOnce(key: string, text: string): void {
    if (!this.warned.has(key)) this.warned.set(key, text);
  }

  /** What is not emulated, in the order it was found. */
  public get notEmulatedList(): NotEmulated[] {
    return [...this.missing.values()];
  }

  /** The warnings, in the order they were found. */
  public get warnings(): string[] {
    return [...this.warned.values()];
  }
}
