import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A warning or error a construct added at synth (`Annotations.of(...)`), as the cloud assembly records it. */
export interface SynthMessage {
  readonly level: 'warning' | 'error';
  /** The construct path the message is attached to. */
  readonly path: string;
  readonly text: string;
}

/**
 * Every warning and error recorded in a cloud assembly, from each stack's
 * metadata (inline in manifest.json or in its `additionalMetadataFile`):
 * what `cdk synth --strict` fails on. Info messages are left out.
 */
export function synthMessages(outdir: string): SynthMessage[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
  const messages: SynthMessage[] = [];
  for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
    const file = artifact.additionalMetadataFile ? join(outdir, artifact.additionalMetadataFile) : undefined;
    const metadata: Record<string, any[]> = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : artifact.metadata ?? {};
    for (const [path, entries] of Object.entries(metadata)) {
      for (const entry of entries) {
        if (entry.type === 'aws:cdk:warning' || entry.type === 'aws:cdk:error') {
          messages.push({ level: entry.type === 'aws:cdk:error' ? 'error' : 'warning', path, text: String(entry.data) });
        }
      }
    }
  }
  return messages;
}
