#!/usr/bin/env node
import { readAssembly } from './assembly';
import { formatSummary, summarise } from './describe';

const USAGE = 'usage: apigw-local describe <cdk.out>';

function main(argv: string[]): number {
  const [command, outdir] = argv;
  if (command !== 'describe' || !outdir) {
    console.error(USAGE);
    return 2;
  }
  const stacks = readAssembly(outdir);
  if (stacks.length === 0) {
    console.error(`no stacks in ${outdir}`);
    return 1;
  }
  console.log(stacks.map((s) => formatSummary(summarise(s))).join('\n\n'));
  return 0;
}

process.exitCode = main(process.argv.slice(2));
