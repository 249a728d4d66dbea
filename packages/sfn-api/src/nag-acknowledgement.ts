import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Records that `policy`'s IAM5 finding for `resource` is intended, under the
 * id cdk-nag gives it: `AwsSolutions-IAM5[Resource::<resource as cdk-nag prints it>]`.
 * Written as Validations.acknowledge writes it: that method refuses ids with
 * '::' inside, as `<AWS::Partition>` is.
 */
export function acknowledgeIam5Resource(policy: IConstruct, resource: string, reason: string) {
  const rendered = render(Stack.of(policy).resolve(resource));
  policy.node.addMetadata(Validations.ACKNOWLEDGED_RULES_METADATA_KEY, { [`AwsSolutions-IAM5[Resource::${rendered}]`]: reason });
}

/** A resolved CloudFormation value the way cdk-nag prints it in a finding id. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(render).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  return JSON.stringify(value);
}
