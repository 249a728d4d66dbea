import { AssemblyStack } from './assembly/cloud-assembly';

/** What a stack deploys, summarised for a person. */
export interface StackSummary {
  readonly name: string;
  readonly environment: string;
  readonly resourceCounts: Record<string, number>;
  readonly routes: string[];
  readonly outputs: string[];
}

/** Counts resources by type and lists API Gateway v2 route keys and stack outputs. */
export function summarise(stack: AssemblyStack): StackSummary {
  const resources = Object.values(stack.template.Resources ?? {});
  const resourceCounts: Record<string, number> = {};
  for (const r of resources) resourceCounts[r.Type] = (resourceCounts[r.Type] ?? 0) + 1;
  const routes = resources
    .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
    .map((r) => String(r.Properties?.RouteKey))
    .sort();
  return { name: stack.displayName, environment: stack.environment, resourceCounts, routes, outputs: Object.keys(stack.template.Outputs ?? {}) };
}

/** The summary as indented text. */
export function formatSummary(s: StackSummary): string {
  const total = Object.values(s.resourceCounts).reduce((a, b) => a + b, 0);
  const lines = [`Stack ${s.name} (${s.environment})`, `  ${total} resources:`];
  for (const [type, count] of Object.entries(s.resourceCounts).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`    ${String(count).padStart(3)}  ${type}`);
  }
  if (s.routes.length) {
    lines.push(`  ${s.routes.length} routes:`, ...s.routes.map((r) => `    ${r}`));
  }
  if (s.outputs.length) lines.push(`  outputs: ${s.outputs.join(', ')}`);
  return lines.join('\n');
}
