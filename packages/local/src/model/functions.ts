import { assetPath, AssemblyStack } from '../assembly/cloud-assembly';
import { TemplateResolver } from '../assembly/intrinsics';

/** Lambda's defaults when a function's template leaves them out (AWS::Lambda::Function reference). */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

/** Where a function's code is: an asset folder, or the template's inline `ZipFile` source. */
export type FunctionCode = { readonly dir: string } | { readonly inline: string };

/** An `AWS::Lambda::Function` as the runner runs it. */
export interface FunctionModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly runtime: string;
  /** `file.export`, e.g. `index.handler`. */
  readonly handler: string;
  readonly code?: FunctionCode;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** `ReservedConcurrentExecutions`: at most this many invocations at once, the rest throttled. @default - none (the account's pool) */
  readonly reservedConcurrency?: number;
  readonly logGroupName: string;
  /** The function's own variables, resolved; unresolvable ones are left out (and listed at startup). */
  readonly environment: Record<string, string>;
  /** `LoggingConfig.ApplicationLogLevel` when `LogFormat` is JSON (Lambda filters only JSON logs by level). */
  readonly applicationLogLevel?: string;
  /** Why the runner cannot run it (a non-Node.js runtime, code it cannot find). */
  readonly notEmulated?: string;
}

/** Every Lambda function of the stack, with its properties resolved. */
export function readFunctions(stack: AssemblyStack, resolver: TemplateResolver): FunctionModel[] {
  return resolver.resourcesOfType('AWS::Lambda::Function').map(([id, resource]) => {
    const p = resource.Properties ?? {};
    const name = resolver.nameOf(id);
    const runtime = String(resolver.resolve(p.Runtime, `${id}.Runtime`) ?? '');
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(p.Environment?.Variables ?? {})) {
      const resolved = resolver.resolveString(value, `${id}.Environment.Variables.${key}`);
      if (resolved !== undefined) environment[key] = resolved;
    }
    const objectKey = p.Code?.S3Key === undefined ? undefined : resolver.resolveString(p.Code.S3Key, `${id}.Code.S3Key`);
    const dir = assetPath(stack, id, 'Code', objectKey);
    const inline = p.Code?.ZipFile === undefined ? undefined : resolver.resolveString(p.Code.ZipFile, `${id}.Code.ZipFile`);
    const code: FunctionCode | undefined = dir ? { dir } : inline !== undefined ? { inline } : undefined;
    return {
      logicalId: id,
      name,
      arn: resolver.resolveString({ 'Fn::GetAtt': [id, 'Arn'] }, `${id}.Arn`)!,
      runtime,
      handler: String(resolver.resolve(p.Handler, `${id}.Handler`) ?? 'index.handler'),
      code,
      timeoutSeconds: Number(resolver.resolve(p.Timeout, `${id}.Timeout`) ?? DEFAULT_TIMEOUT_SECONDS),
      memoryMb: Number(resolver.resolve(p.MemorySize, `${id}.MemorySize`) ?? DEFAULT_MEMORY_MB),
      reservedConcurrency: optionalNumber(resolver.resolve(p.ReservedConcurrentExecutions, `${id}.ReservedConcurrentExecutions`)),
      logGroupName: resolver.resolveString(p.LoggingConfig?.LogGroup, `${id}.LoggingConfig.LogGroup`) ?? `/aws/lambda/${name}`,
      environment,
      applicationLogLevel: applicationLogLevel(resolver, id, p.LoggingConfig),
      notEmulated: !runtime.startsWith('nodejs') ? `Lambda runtime ${runtime || '(container image)'}`
        : !code ? 'Lambda code from S3 without a local asset' : undefined,
    };
  });
}

/** Lambda applies an application log level only to JSON-formatted logs, INFO unless one is set; text logs are never filtered. */
function applicationLogLevel(resolver: TemplateResolver, id: string, config: any): string | undefined {
  if (!config || resolver.resolve(config.LogFormat, `${id}.LoggingConfig.LogFormat`) !== 'JSON') return undefined;
  const level = resolver.resolveString(config.ApplicationLogLevel, `${id}.LoggingConfig.ApplicationLogLevel`);
  return level ? level.toUpperCase() : 'INFO';
}

function optionalNumber(value: unknown): number | undefined {
  return value === undefined || value === null ? undefined : Number(value);
}
