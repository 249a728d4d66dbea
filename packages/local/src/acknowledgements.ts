import type { IConstruct } from 'constructs';

// Validations.ACKNOWLEDGED_RULES_METADATA_KEY of aws-cdk-lib (a dev dependency here only).
const METADATA_KEY = 'aws:cdk:acknowledged-rules';

/** A rule acknowledged on one construct, with its reason. */
export interface Acknowledgement {
  readonly id: string;
  readonly path: string;
  readonly reason: string;
}

/**
 * Every cdk-nag (`AwsSolutions-`) rule acknowledged in the tree under `root`.
 * aws-cdk-lib writes ids as `annotation::<id>` before 2.262.1 and
 * `Annotation::<id>` after; cdk-nag matches both, and so does this. Newer
 * aws-cdk-lib also records acknowledgements of its own CloudFormation checks,
 * which are left out.
 */
export function nagAcknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((c) => {
    // aws-cdk-lib adds an entry per acknowledge() call holding every id acknowledged on the construct so far: each id once.
    const ids = new Map<string, string>();
    for (const m of c.node.metadata) {
      if (m.type === METADATA_KEY) for (const [id, reason] of Object.entries(m.data as Record<string, string>)) ids.set(id.replace(/^annotation::/i, ''), reason);
    }
    return [...ids].filter(([id]) => id.startsWith('AwsSolutions-')).map(([id, reason]) => ({ id, path: c.node.path, reason }));
  });
}

/** A stack environment as users write them, for the patterns' cdk-nag tests. */
export interface NagEnvironment {
  readonly name: string;
  readonly env?: { readonly account?: string; readonly region?: string };
}

/**
 * The environments every pattern's cdk-nag test runs in: environment-agnostic,
 * a region only, an account and a region (how most production stacks are
 * written: the account is a literal, not `<AWS::AccountId>`), and an account
 * in another region.
 */
export const NAG_ENVIRONMENTS: readonly NagEnvironment[] = [
  { name: 'no env' },
  { name: 'region only', env: { region: 'us-east-1' } },
  { name: 'account and region', env: { account: '123456789012', region: 'us-east-1' } },
  { name: 'account in eu-west-1', env: { account: '123456789012', region: 'eu-west-1' } },
];
