import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** The part of a cdk-nag finding id after the rule: one resource of an IAM5 finding, or one managed policy of an IAM4 finding. */
export interface NagFinding {
  /** `Resource::<resource>` (AwsSolutions-IAM5): the statement's resource, as written in the policy (tokens allowed). */
  readonly resource?: string;
  /** `Policy::<policy ARN>` (AwsSolutions-IAM4): the managed policy's ARN (tokens allowed). */
  readonly policy?: string;
}

/**
 * Acknowledges cdk-nag rule `rule` on `scope` with `reason`: the whole rule,
 * or only the finding for one resource or managed policy. The finding id is
 * derived from the value itself, rendered as cdk-nag renders it, so it holds
 * in any stack: with or without an account or region, a `Ref`, a `GetAtt`,
 * a literal account number. The pattern packages import it by path
 * (`@apigw-blueprints/integrations/lib/private/nag`), as they import errors.
 */
export function acknowledgeNagRule(scope: IConstruct, rule: string, reason: string, finding: NagFinding = {}): void {
  const detail = finding.resource !== undefined ? `Resource::${nagText(scope, finding.resource)}`
    : finding.policy !== undefined ? `Policy::${nagText(scope, finding.policy)}` : undefined;
  if (!detail) {
    Validations.of(scope).acknowledge({ id: rule, reason });
    return;
  }
  // A finding's id is written as cdk-nag prints it, in the metadata entry acknowledge() writes (what cdk-nag
  // and aws-cdk-lib's synthesis read): acknowledge() refuses an id with '::' inside on aws-cdk-lib 2.257
  // (`<AWS::Partition>`), and later releases rewrite some characters of the id (a space becomes '-').
  scope.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`${rule}[${detail}]`]: reason });
}

/**
 * A CloudFormation value as cdk-nag prints it in a finding id: resolved in
 * `scope`'s stack, `Fn::Join` and `Fn::Sub` flattened, a `Ref` as `<Id>`, a
 * `Fn::GetAtt` as `<Id.Attribute>`, `${...}` of a substitution as `<...>`;
 * anything else as its JSON (cdk-nag's rendering, read from its IAM rules' behaviour).
 */
export function nagText(scope: IConstruct, value: unknown): string {
  return flatten(Stack.of(scope).resolve(value));
}

function flatten(value: any): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (value['Fn::Join']) return (value['Fn::Join'][1] as unknown[]).map(flatten).join(value['Fn::Join'][0]);
  if (value['Fn::Sub']) return flatten(value['Fn::Sub']);
  if (value['Fn::GetAtt']) return `<${flatten(value['Fn::GetAtt'][0])}.${flatten(value['Fn::GetAtt'][1])}>`;
  if (value['Fn::ImportValue']) return flatten(value['Fn::ImportValue']);
  if (value.Ref) return `<${flatten(value.Ref)}>`;
  return JSON.stringify(value);
}
