import { AssemblyStack, loadAssembly } from '../assembly/cloud-assembly';
import { sourceKind, synthesizeApp } from '../assembly/synthesize';
import { UsageError } from '../assembly/usage-error';

/** Which stack to serve, from where. */
export interface StackChoice {
  /** A CDK app folder (synthesized first) or a cloud assembly (cdk.out). */
  readonly source: string;
  readonly synthOutdir?: string;
  readonly stack?: string;
  readonly signal?: AbortSignal;
}

/** Synthesizes the app if `source` is one, reads the assembly and picks the stack to serve. */
export async function pickStack(choice: StackChoice, log: (line: string) => void): Promise<AssemblyStack> {
  const { stacks, outdir } = await readStacks(choice, log);
  const names = stacks.map((s) => s.displayName).join(', ');
  if (choice.stack) return findStack(stacks, choice.stack, outdir);
  if (stacks.length > 1) throw new UsageError(`${outdir} holds ${stacks.length} stacks (${names}); pick one with --stack NAME`);
  return stacks[0];
}

/** Synthesizes the app if `source` is one, reads the assembly and picks the stacks named (all of them when none is). */
export async function pickStacks(choice: StackChoice & { readonly stacks?: string[] }, log: (line: string) => void): Promise<AssemblyStack[]> {
  const { stacks, outdir } = await readStacks(choice, log);
  if (!choice.stacks?.length) return stacks;
  // A stack named twice (by name and by artifact id) is served once.
  return [...new Set(choice.stacks.map((name) => findStack(stacks, name, outdir)))];
}

async function readStacks(choice: StackChoice, log: (line: string) => void): Promise<{ stacks: AssemblyStack[]; outdir: string }> {
  const kind = sourceKind(choice.source);
  if (!kind) {
    throw new UsageError(`${choice.source}: neither a CDK app folder (cdk.json) nor a cloud assembly (manifest.json); give one of those`);
  }
  const outdir = kind === 'app' ? await synthesizeApp(choice.source, log, choice.synthOutdir, choice.signal) : choice.source;
  const { stacks, warnings } = loadAssembly(outdir);
  warnings.forEach((w) => log(`warning: ${w}`));
  if (stacks.length === 0) throw new UsageError(`${outdir}: the cloud assembly holds no stacks; synthesize an app that defines one`);
  return { stacks, outdir };
}

function findStack(stacks: AssemblyStack[], name: string, outdir: string): AssemblyStack {
  const found = stacks.find((s) => [s.displayName, s.id, s.stackName].includes(name));
  if (!found) throw new UsageError(`no stack ${name} in ${outdir}; its stacks: ${stacks.map((s) => s.displayName).join(', ')}`);
  return found;
}
