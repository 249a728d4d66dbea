import { existsSync, statSync } from 'node:fs';
import { isAbsolute, normalize, sep } from 'node:path';
import { assetPath, AssemblyStack } from '../assembly/cloud-assembly';
import { TemplateResolver } from '../assembly/intrinsics';
import { functionNameOf } from '../assembly/local-names';

/** Lambda's defaults when a function's template leaves them out (AWS::Lambda::Function reference). */
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;

/** Where a function's code is: an asset folder, a .zip file asset, or the template's inline `ZipFile` source. */
export type FunctionCode = { readonly dir: string } | { readonly zip: string } | { readonly inline: string };

/** Where a layer's content is: an asset folder or a .zip file asset. */
export type LayerContent = { readonly dir: string } | { readonly zip: string };

/** An `AWS::Lambda::Function` as the runner runs it. */
export interface FunctionModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  readonly runtime: string;
  /** `file.export`, e.g. `index.handler`. */
  readonly handler: string;
  readonly code?: FunctionCode;
  /** The content of its layers (`Layers`), in the function's order. @default - none */
  readonly layers?: LayerContent[];
  /**
   * The layers merged into one folder, as Lambda extracts them to `/opt`;
   * set once their content is unpacked (see prepareFunctionCode). @default - no layers
   */
  readonly optDir?: string;
  /**
   * The qualifiers it can be invoked with: each version's number and each
   * alias's name, to the version number it runs (`$LATEST` for an alias of it).
   * @default - none: only `$LATEST`
   */
  readonly qualifiers?: Record<string, string>;
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
  const layers = readLayers(stack, resolver);
  const qualifiers = readQualifiers(resolver);
  return resolver.resourcesOfType('AWS::Lambda::Function').map(([id, resource]) => {
    const p = resource.Properties ?? {};
    const name = resolver.nameOf(id);
    const runtime = String(resolver.resolve(p.Runtime, `${id}.Runtime`) ?? '');
    const handler = String(resolver.resolve(p.Handler, `${id}.Handler`) ?? 'index.handler');
    const environment: Record<string, string> = {};
    for (const [key, value] of Object.entries(p.Environment?.Variables ?? {})) {
      const resolved = resolver.resolveString(value, `${id}.Environment.Variables.${key}`);
      if (resolved !== undefined) environment[key] = resolved;
    }
    const objectKey = p.Code?.S3Key === undefined ? undefined : resolver.resolveString(p.Code.S3Key, `${id}.Code.S3Key`);
    const asset = assetPath(stack, id, 'Code', objectKey);
    const inline = p.Code?.ZipFile === undefined ? undefined : resolver.resolveString(p.Code.ZipFile, `${id}.Code.ZipFile`);
    const code: FunctionCode | undefined = asset && existsSync(asset) ? assetContent(asset) : inline !== undefined ? { inline } : undefined;
    const layerArns: string[] = (resolver.resolve(p.Layers, `${id}.Layers`) ?? []).map(String);
    const missingLayer = layerArns.find((arn) => !layers.has(arn));
    const fnLayers = layerArns.map((arn) => layers.get(arn)).filter((l): l is LayerContent => l !== undefined);
    const notEmulated = p.Code?.ImageUri !== undefined ? 'Lambda function from a container image (Code.ImageUri): the runner runs .zip and inline code'
      : !runtime.startsWith('nodejs') ? `Lambda runtime ${runtime || '(none given)'}`
        : asset && !existsSync(asset) ? `Lambda code asset ${asset}, which is missing: synthesize the app again`
          : !code ? 'Lambda code from S3 without a local asset'
            : missingLayer ? `Lambda layer ${missingLayer}, which is not a layer of this stack with a local asset`
              : leavesCodeFolder(handler);
    return {
      logicalId: id,
      name,
      arn: resolver.resolveString({ 'Fn::GetAtt': [id, 'Arn'] }, `${id}.Arn`)!,
      runtime,
      handler,
      code,
      layers: fnLayers,
      qualifiers: qualifiers.get(name) ?? {},
      timeoutSeconds: Number(resolver.resolve(p.Timeout, `${id}.Timeout`) ?? DEFAULT_TIMEOUT_SECONDS),
      memoryMb: Number(resolver.resolve(p.MemorySize, `${id}.MemorySize`) ?? DEFAULT_MEMORY_MB),
      reservedConcurrency: optionalNumber(resolver.resolve(p.ReservedConcurrentExecutions, `${id}.ReservedConcurrentExecutions`)),
      logGroupName: resolver.resolveString(p.LoggingConfig?.LogGroup, `${id}.LoggingConfig.LogGroup`) ?? `/aws/lambda/${name}`,
      environment,
      applicationLogLevel: applicationLogLevel(resolver, id, p.LoggingConfig),
      notEmulated,
    };
  });
}

/** Why a (possibly qualified) function ARN cannot be invoked locally, for the startup report and the 501. */
export function whyNotInvocable(functions: FunctionModel[], arn: string): string {
  const fn = functions.find((f) => f.arn === unqualifiedArn(arn));
  if (!fn) return `Lambda function ${arn}, which is not in this stack`;
  return fn.notEmulated ?? `Lambda function ${arn}: the function has no such version or alias`;
}

/** The ARN of a function without its version or alias qualifier. */
export function unqualifiedArn(arn: string): string {
  return arn.replace(/^(arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/, '$1');
}

/** A function's qualifier in `arn` (a version number or an alias name), if it has one. */
export function qualifierOf(arn: string): string | undefined {
  return /^arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+:([^:]+)$/.exec(arn)?.[1];
}

/** A code or layer asset: a folder, or a file (a .zip archive, as `Code.fromAsset('fn.zip')` publishes it). */
function assetContent(path: string): { dir: string } | { zip: string } {
  return statSync(path).isDirectory() ? { dir: path } : { zip: path };
}

/**
 * Why a handler cannot be run: its file lies outside the code folder
 * (`../x.handler`, `/abs/x.handler`), which Lambda's runtime never loads from.
 */
function leavesCodeFolder(handler: string): string | undefined {
  // Lambda's Node.js runtime splits `dir/file.export` at the first dot of the last path segment.
  const dot = handler.indexOf('.', handler.lastIndexOf('/') + 1);
  const file = handler.slice(0, dot);
  if (dot <= 0) return `Handler ${handler}: it names no file (expected file.export, e.g. index.handler)`;
  if (isAbsolute(file) || normalize(file).split(sep)[0] === '..') return `Handler ${handler}: its file lies outside the code folder`;
  return undefined;
}

/** Each `AWS::Lambda::LayerVersion` of the stack with a local asset, by its (local) ARN. */
function readLayers(stack: AssemblyStack, resolver: TemplateResolver): Map<string, LayerContent> {
  const layers = new Map<string, LayerContent>();
  for (const [id, resource] of resolver.resourcesOfType('AWS::Lambda::LayerVersion')) {
    const key = resource.Properties?.Content?.S3Key;
    const asset = assetPath(stack, id, 'Content', key === undefined ? undefined : resolver.resolveString(key, `${id}.Content.S3Key`));
    const arn = resolver.resolveString({ Ref: id }, id);
    if (asset && arn && existsSync(asset)) layers.set(arn, assetContent(asset));
  }
  return layers;
}

/** The versions' numbers and the aliases' names of each function, by function name, to the version they run. */
function readQualifiers(resolver: TemplateResolver): Map<string, Record<string, string>> {
  const byFunction = new Map<string, Record<string, string>>();
  const add = (functionName: string, qualifier: string, version: string) => {
    const name = functionNameOf(functionName);
    byFunction.set(name, { ...byFunction.get(name), [qualifier]: version });
  };
  for (const [id, resource] of resolver.resourcesOfType('AWS::Lambda::Version')) {
    const fn = resolver.resolveString(resource.Properties?.FunctionName, `${id}.FunctionName`);
    const version = resolver.resolveString({ 'Fn::GetAtt': [id, 'Version'] }, `${id}.Version`);
    if (fn && version) add(fn, version, version);
  }
  for (const [id, resource] of resolver.resourcesOfType('AWS::Lambda::Alias')) {
    const p = resource.Properties ?? {};
    const fn = resolver.resolveString(p.FunctionName, `${id}.FunctionName`);
    const alias = resolver.resolveString(p.Name, `${id}.Name`);
    const version = resolver.resolveString(p.FunctionVersion, `${id}.FunctionVersion`);
    if (fn && alias && version) add(fn, alias, version);
  }
  return byFunction;
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
