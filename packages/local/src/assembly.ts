import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One CloudFormation stack of a synthesized cloud assembly (cdk.out). */
export interface AssemblyStack {
  readonly id: string;
  readonly displayName: string;
  readonly environment: string;
  readonly template: CfnTemplate;
}

/** The parts of a CloudFormation template this package reads. */
export interface CfnTemplate {
  readonly Resources?: Record<string, { Type: string; Properties?: Record<string, any> }>;
  readonly Outputs?: Record<string, unknown>;
}

interface Manifest {
  readonly artifacts?: Record<string, { type: string; environment?: string; displayName?: string; properties?: { templateFile?: string } }>;
}

/** Reads every stack of the cloud assembly in `outdir`. */
export function readAssembly(outdir: string): AssemblyStack[] {
  const manifest: Manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  return Object.entries(manifest.artifacts ?? {})
    .filter(([, a]) => a.type === 'aws:cloudformation:stack' && a.properties?.templateFile)
    .map(([id, a]) => ({
      id,
      displayName: a.displayName ?? id,
      environment: a.environment ?? 'unknown',
      template: JSON.parse(readFileSync(join(outdir, a.properties!.templateFile!), 'utf8')),
    }));
}
