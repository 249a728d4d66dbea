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
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, string>))
    .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), path: c.node.path, reason }))
    .filter((ack) => ack.id.startsWith('AwsSolutions-')));
}
