import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readJsonFile } from './json-file';
import { UsageError } from './usage-error';

/**
 * The cloud-assembly schema major version this reader was written against
 * (aws-cdk-lib 2.257 writes 53.x). Other versions are read too, with a warning.
 */
export const SUPPORTED_MANIFEST_MAJOR = 53;

/** Where a stack deploys: `aws://<account>/<region>`, either part possibly unknown. */
export interface StackEnvironment {
  /** The account, or undefined when the app sets none (`unknown-account`). */
  readonly account?: string;
  /** The region, or undefined when the app sets none (`unknown-region`). */
  readonly region?: string;
}

/** One resource of a CloudFormation template. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
  readonly Condition?: string;
}

/** The parts of a CloudFormation template this package reads. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value?: unknown; Description?: string; Condition?: string; Export?: { Name?: unknown } }>;
  readonly Parameters?: Record<string, { Type: string; Default?: unknown }>;
  readonly Conditions?: Record<string, unknown>;
  readonly Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

/** One CloudFormation stack of a synthesized cloud assembly (cdk.out). */
export interface AssemblyStack {
  /** The artifact id in the manifest. */
  readonly id: string;
  /** The stack's name as the CDK shows it. */
  readonly displayName: string;
  /** The stack name CloudFormation would deploy it under. */
  readonly stackName: string;
  /** The manifest's environment string, e.g. `aws://unknown-account/eu-west-1`. */
  readonly environment: string;
  /** The environment, parsed. */
  readonly env: StackEnvironment;
  readonly template: CfnTemplate;
  /** The cloud assembly folder, absolute. */
  readonly assemblyDir: string;
  /** File assets by the S3 object key they are published under, as absolute source paths. */
  readonly fileAssets: Map<string, string>;
}

interface ManifestArtifact {
  readonly type: string;
  readonly environment?: string;
  readonly displayName?: string;
  readonly properties?: { templateFile?: string; stackName?: string; file?: string };
}

interface AssetManifest {
  readonly files?: Record<string, { source?: { path?: string }; destinations?: Record<string, { objectKey?: string }> }>;
}

interface Manifest {
  readonly version?: string;
  readonly artifacts?: Record<string, ManifestArtifact>;
}

/** A cloud assembly as read: its stacks and what the reader noticed about it. */
export interface CloudAssemblyContents {
  readonly stacks: AssemblyStack[];
  /** Things worth telling the user (a manifest version this reader was not written for). */
  readonly warnings: string[];
}

/** Reads every stack of the cloud assembly in `outdir`, with the reader's warnings. */
export function loadAssembly(outdir: string): CloudAssemblyContents {
  const dir = resolve(outdir);
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new UsageError(`${manifestFile}: no manifest.json; give a cdk.out folder or a CDK app folder (with cdk.json)`);
  }
  const manifest: Manifest = readJsonFile(manifestFile, 'synthesize the app again');
  const warnings: string[] = [];
  const major = Number(String(manifest.version ?? '').split('.')[0]);
  if (major !== SUPPORTED_MANIFEST_MAJOR) {
    warnings.push(`cloud assembly version ${manifest.version ?? '(none)'} in ${manifestFile}: written for ${SUPPORTED_MANIFEST_MAJOR}.x; reading it anyway`);
  }
  const fileAssets = readFileAssets(dir, manifest);
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([id, a]): AssemblyStack => {
      const environment = a.environment ?? 'aws://unknown-account/unknown-region';
      return {
        id,
        displayName: a.displayName ?? id,
        stackName: a.properties?.stackName ?? id,
        environment,
        env: parseEnvironment(environment),
        template: readJsonFile(join(dir, a.properties!.templateFile!), 'synthesize the app again'),
        assemblyDir: dir,
        fileAssets,
      };
    });
  return { stacks, warnings };
}

/** Every file asset of the assembly's asset manifests, by the object key it is published under. */
function readFileAssets(dir: string, manifest: Manifest): Map<string, string> {
  const assets = new Map<string, string>();
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    if (artifact.type !== 'cdk:asset-manifest' || !artifact.properties?.file) continue;
    const contents: AssetManifest = readJsonFile(join(dir, artifact.properties.file), 'synthesize the app again');
    for (const file of Object.values(contents.files ?? {})) {
      if (!file.source?.path) continue;
      for (const destination of Object.values(file.destinations ?? {})) {
        if (destination.objectKey) assets.set(destination.objectKey, resolve(dir, file.source.path));
      }
    }
  }
  return assets;
}

/** Reads every stack of the cloud assembly in `outdir`. */
export function readAssembly(outdir: string): AssemblyStack[] {
  return loadAssembly(outdir).stacks;
}

/** `aws://<account>/<region>` with the CDK's `unknown-account` / `unknown-region` placeholders left out. */
export function parseEnvironment(environment: string): StackEnvironment {
  const match = /^aws:\/\/([^/]*)\/(.*)$/.exec(environment);
  const known = (value: string | undefined, unknown: string) => (value && value !== unknown ? value : undefined);
  return { account: known(match?.[1], 'unknown-account'), region: known(match?.[2], 'unknown-region') };
}

/**
 * The folder of a resource's file asset, when the asset is for `property`
 * (e.g. a function's `Code`): from the resource's `aws:asset:path` metadata,
 * which the CDK CLI asks for, else from the asset manifest entry published
 * under `objectKey` (an app synthesized without the CLI has no asset metadata).
 */
export function assetPath(stack: AssemblyStack, logicalId: string, property: string, objectKey?: string): string | undefined {
  const metadata = stack.template.Resources?.[logicalId]?.Metadata;
  const path = metadata?.['aws:asset:path'];
  if (typeof path === 'string' && (metadata?.['aws:asset:property'] ?? property) === property) return resolve(stack.assemblyDir, path);
  return objectKey === undefined ? undefined : stack.fileAssets.get(objectKey);
}
