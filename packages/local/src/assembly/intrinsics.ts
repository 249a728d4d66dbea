import { AssemblyStack, CfnResource } from './cloud-assembly';
import { attributeValue, functionNameOf, LocalEnvironment, localEnvironment, physicalName, refValue } from './local-names';

/** A value of the template the runner could not give a local value. */
export interface UnresolvedValue {
  /** Where it occurs, e.g. `BooksFunction.Environment.Variables.TABLE_NAME`. */
  readonly where: string;
  /** What could not be resolved and why. */
  readonly why: string;
}

class Unresolvable extends Error {}

/** Turns a string before it is handed out (the runner rewrites execute-api URLs to loopback ones). */
export type StringRewriter = (value: string) => string;

/** The value some served stack exports under a name, or undefined. */
export type ExportLookup = (name: string) => unknown;

/**
 * Resolves CloudFormation intrinsic functions in template values to local
 * values: `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`,
 * `Fn::Split`, `Fn::If` and the condition functions, `Fn::FindInMap`,
 * `Fn::GetAZs`, `Fn::Base64`, `Fn::ImportValue` of what another served
 * stack exports, and the pseudo parameters, as
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 * defines them. What it cannot resolve (an import no served stack exports, a parameter without a
 * default, an attribute it does not know) is recorded in `unresolved`, never
 * replaced by a made-up value.
 */
export class TemplateResolver {
  /** Everything that could not be resolved so far, in the order met. */
  public readonly unresolved: UnresolvedValue[] = [];
  public readonly env: LocalEnvironment;
  private readonly names = new Map<string, string>();
  private readonly conditions = new Map<string, boolean>();
  private readonly naming = new Set<string>();
  private readonly exporting = new Set<string>();
  private exportsByName?: Map<string, string>;
  private rewriter: StringRewriter;

  /**
   * @param imports the value another served stack exports under a name
   * (`Fn::ImportValue`), or undefined when none does. @default none: every import is unresolved
   */
  constructor(private readonly stack: AssemblyStack, private readonly imports: ExportLookup = () => undefined) {
    this.env = localEnvironment(stack);
    this.rewriter = (s) => s;
  }

  /**
   * The names this stack exports (outputs with an `Export.Name` whose
   * condition holds), each with its output's logical id; worked out once.
   * An output whose name or condition cannot be resolved exports nothing,
   * and is recorded as unresolved.
   */
  public exportNames(): Map<string, string> {
    if (this.exportsByName) return this.exportsByName;
    const names = new Map<string, string>();
    for (const [id, output] of Object.entries(this.stack.template.Outputs ?? {})) {
      if (output.Export?.Name === undefined) continue;
      if (output.Condition && this.resolve({ Condition: output.Condition }, `Outputs.${id}.Condition`) !== true) continue;
      const name = this.resolveString(output.Export.Name, `Outputs.${id}.Export.Name`);
      if (name !== undefined) names.set(name, id);
    }
    this.exportsByName = names;
    return names;
  }

  /**
   * The value this stack exports under `name`, resolved when asked, so that
   * strings rewritten since pass through the rewriter; undefined when it
   * exports no such name. Throws, for the importer to record, when it does
   * but the value cannot be resolved, or when resolving it imports `name`
   * again (a cycle CloudFormation would refuse).
   */
  public exportedValue(name: string): unknown {
    const id = this.exportNames().get(name);
    if (id === undefined) return undefined;
    if (this.exporting.has(name)) throw new Unresolvable(`Fn::ImportValue ${name}: an import cycle`);
    this.exporting.add(name);
    try {
      const value = this.deep(this.stack.template.Outputs![id].Value);
      return value === NO_VALUE ? undefined : value;
    } catch (error) {
      const why = error instanceof Unresolvable ? error.message : (error as Error).message;
      throw new Unresolvable(`Fn::ImportValue ${name}: stack ${this.stack.displayName} exports it, but its value cannot be resolved (${why})`);
    } finally {
      this.exporting.delete(name);
    }
  }

  /** The stack this resolver resolves. */
  public stackOf(): AssemblyStack {
    return this.stack;
  }

  /** Every string handed out from now on passes through `rewriter`. */
  public rewriteStrings(rewriter: StringRewriter): void {
    this.rewriter = rewriter;
  }

  /** The resources of the template whose `Condition` holds. */
  public resources(): Array<[string, CfnResource]> {
    return Object.entries(this.stack.template.Resources ?? {})
      .filter(([id, r]) => !r.Condition || this.condition(r.Condition, `${id}.Condition`) === true);
  }

  /** The resources of one type whose `Condition` holds. */
  public resourcesOfType(type: string): Array<[string, CfnResource]> {
    return this.resources().filter(([, r]) => r.Type === type);
  }

  /** The local physical name of a resource (its name property resolved, or a generated one). */
  public nameOf(logicalId: string): string {
    const cached = this.names.get(logicalId);
    if (cached !== undefined) return cached;
    const resource = this.resource(logicalId);
    if (this.naming.has(logicalId)) throw new Unresolvable(`the name of ${logicalId} refers to itself`);
    this.naming.add(logicalId);
    try {
      const name = physicalName(this.env, logicalId, this.withResolvedNames(logicalId, resource), this.versionNumber(logicalId, resource));
      this.names.set(logicalId, name);
      return name;
    } finally {
      this.naming.delete(logicalId);
    }
  }

  /**
   * `value` with every intrinsic resolved, or undefined (recorded in
   * `unresolved` under `where`) when any part of it cannot be.
   */
  public resolve(value: unknown, where: string): any {
    try {
      const resolved = this.deep(value);
      return resolved === NO_VALUE ? undefined : resolved;
    } catch (error) {
      // Any failure (a malformed function, a name that refers to itself) is recorded, never a crash.
      const why = error instanceof Unresolvable ? error.message : `malformed intrinsic: ${(error as Error).message}`;
      this.unresolved.push({ where, why });
      return undefined;
    }
  }

  /** A resolved value that must be a string (undefined, and recorded, otherwise). */
  public resolveString(value: unknown, where: string): string | undefined {
    const resolved = this.resolve(value, where);
    if (resolved === undefined || typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    this.unresolved.push({ where, why: `expected a string, got ${JSON.stringify(resolved)}` });
    return undefined;
  }

  /**
   * A Lambda version's number: its place among the same function's versions,
   * in template order, the function known by name whether `FunctionName`
   * holds a `Ref` or an ARN.
   */
  private versionNumber(logicalId: string, resource: CfnResource): number | undefined {
    if (resource.Type !== 'AWS::Lambda::Version') return undefined;
    const functionOf = (id: string, r: CfnResource) => functionNameOf(this.resolve(r.Properties?.FunctionName, `${id}.FunctionName`));
    const target = functionOf(logicalId, resource);
    const siblings = this.resourcesOfType('AWS::Lambda::Version').filter(([id, r]) => functionOf(id, r) === target);
    return siblings.findIndex(([id]) => id === logicalId) + 1;
  }

  private withResolvedNames(logicalId: string, resource: CfnResource): CfnResource {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resource.Properties ?? {})) {
      // Only the name properties matter here; others may refer back to this resource.
      if (!/Name$/.test(key) || typeof value !== 'object') {
        properties[key] = value;
        continue;
      }
      properties[key] = this.resolve(value, `${logicalId}.${key}`);
      if (properties[key] === undefined) throw new Unresolvable(`the name of ${logicalId} (${key}) cannot be resolved`);
    }
    return { ...resource, Properties: properties };
  }

  private resource(logicalId: string): CfnResource {
    const resource = this.stack.template.Resources?.[logicalId];
    if (!resource) throw new Unresolvable(`no resource or parameter named ${logicalId} in stack ${this.stack.displayName}`);
    if (resource.Condition && this.condition(resource.Condition, logicalId) !== true) {
      throw new Unresolvable(`${logicalId} is not created (condition ${resource.Condition} is false)`);
    }
    return resource;
  }

  private deep(value: unknown): any {
    if (typeof value === 'string') return this.rewriter(value);
    if (Array.isArray(value)) {
      return value.map((v) => this.deep(v)).filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition')) {
      const result = this.intrinsic(keys[0], (value as Record<string, unknown>)[keys[0]]);
      return typeof result === 'string' ? this.rewriter(result) : result;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const resolved = this.deep(v);
      if (resolved !== NO_VALUE) out[k] = resolved;
    }
    return out;
  }

  private intrinsic(fn: string, arg: any): any {
    switch (fn) {
      case 'Ref': return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
        return this.getAtt(id, String(this.deep(attribute)));
      }
      case 'Fn::Join': {
        const [separator, parts] = arg;
        const list = this.deep(parts);
        return (list as unknown[]).map((p) => this.scalar(p, 'Fn::Join')).join(separator);
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::Select': {
        const [index, list] = arg;
        const items = this.deep(list) as unknown[];
        const i = Number(this.deep(index));
        if (!Array.isArray(items) || !(i >= 0 && i < items.length)) throw new Unresolvable(`Fn::Select index ${i} out of range`);
        return items[i];
      }
      case 'Fn::Split': {
        const [separator, source] = arg;
        return String(this.scalar(this.deep(source), 'Fn::Split')).split(separator);
      }
      case 'Fn::If': {
        const [name, whenTrue, whenFalse] = arg;
        return this.deep(this.condition(name, 'Fn::If') ? whenTrue : whenFalse);
      }
      case 'Fn::Equals': {
        // CloudFormation compares values as strings: a Number parameter's 3 equals '3'.
        const text = (v: unknown) => (typeof v === 'object' ? JSON.stringify(v) : String(v));
        const [a, b] = arg;
        return text(this.deep(a)) === text(this.deep(b));
      }
      case 'Fn::And': return (arg as unknown[]).every((c) => this.conditionValue(c));
      case 'Fn::Or': return (arg as unknown[]).some((c) => this.conditionValue(c));
      case 'Fn::Not': return !this.conditionValue(arg[0]);
      case 'Condition': return this.condition(String(arg), 'Condition');
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as unknown[]).map((a) => this.deep(a));
        const found = this.stack.template.Mappings?.[map]?.[top]?.[second];
        if (found === undefined) throw new Unresolvable(`Fn::FindInMap ${map}/${top}/${second}: no such entry`);
        return this.deep(found);
      }
      case 'Fn::GetAZs': return ['a', 'b', 'c'].map((z) => `${this.env.region}${z}`);
      case 'Fn::Base64': return Buffer.from(String(this.deep(arg)), 'utf8').toString('base64');
      case 'Fn::ImportValue': {
        const name = String(this.scalar(this.deep(arg), 'Fn::ImportValue'));
        const imported = this.imports(name);
        if (imported === undefined) throw new Unresolvable(`Fn::ImportValue ${name}: no stack the runner serves exports it`);
        // Through deep(): an imported string passes this stack's rewriter as its own strings do.
        return this.deep(imported);
      }
      default: throw new Unresolvable(`${fn} is not resolved locally`);
    }
  }

  private scalar(value: unknown, fn: string): string {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw new Unresolvable(`${fn}: cannot join ${JSON.stringify(value)}`);
  }

  private conditionValue(value: unknown): boolean {
    const resolved = this.deep(value);
    if (typeof resolved !== 'boolean') throw new Unresolvable(`condition ${JSON.stringify(value)} does not evaluate to true or false`);
    return resolved;
  }

  /** Evaluates a named condition of the template's `Conditions`. */
  private condition(name: string, where: string): boolean {
    const cached = this.conditions.get(name);
    if (cached !== undefined) return cached;
    const definition = this.stack.template.Conditions?.[name];
    if (definition === undefined) throw new Unresolvable(`${where}: no condition named ${name}`);
    const value = this.conditionValue(definition);
    this.conditions.set(name, value);
    return value;
  }

  private ref(name: string): any {
    switch (name) {
      case 'AWS::Region': return this.env.region;
      case 'AWS::AccountId': return this.env.account;
      case 'AWS::Partition': return this.env.partition;
      case 'AWS::URLSuffix': return this.env.urlSuffix;
      case 'AWS::StackName': return this.env.stackName;
      case 'AWS::StackId': return this.env.stackId;
      case 'AWS::NotificationARNs': return [];
      case 'AWS::NoValue': return NO_VALUE;
    }
    const parameter = this.stack.template.Parameters?.[name];
    if (parameter) {
      if (parameter.Default === undefined) throw new Unresolvable(`parameter ${name} has no default`);
      if (parameter.Type.startsWith('AWS::SSM::Parameter::Value')) throw new Unresolvable(`parameter ${name} is read from SSM (${parameter.Default})`);
      // List types (`CommaDelimitedList`, `List<...>`) are lists: their default is written comma-separated.
      const list = parameter.Type === 'CommaDelimitedList' || parameter.Type.startsWith('List<');
      return list ? String(parameter.Default).split(',').map((v) => v.trim()) : parameter.Default;
    }
    const resource = this.resource(name);
    const value = refValue(this.env, name, resource, this.nameOf(name));
    if (value === undefined) throw new Unresolvable(`Ref ${name} (${resource.Type}) has no local value`);
    return value;
  }

  private getAtt(logicalId: string, attribute: string): string {
    const resource = this.resource(logicalId);
    const value = attributeValue(this.env, logicalId, resource, this.nameOf(logicalId), attribute);
    if (value === undefined) throw new Unresolvable(`Fn::GetAtt ${logicalId}.${attribute} (${resource.Type}) has no local value`);
    return value;
  }

  private sub(arg: unknown): string {
    const [template, variables] = Array.isArray(arg) ? arg : [arg, {}];
    const vars = this.deep(variables ?? {}) as Record<string, unknown>;
    return String(template).replace(/\$\{(!?)([^}]*)\}/g, (_match, literal: string, name: string) => {
      if (literal) return `\${${name}}`;
      if (name in vars) return this.scalar(vars[name], 'Fn::Sub');
      const dot = name.indexOf('.');
      if (dot > 0 && !name.startsWith('AWS::')) return this.getAtt(name.slice(0, dot), name.slice(dot + 1));
      return this.scalar(this.ref(name), 'Fn::Sub');
    });
  }
}

/** `Ref: AWS::NoValue`: the property (or list element) is left out. */
const NO_VALUE = Symbol('AWS::NoValue');
