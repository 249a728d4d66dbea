/**
 * Whether an IAM policy document from a Lambda authorizer allows
 * `execute-api:Invoke` on `routeArn`: some Allow statement matches and no
 * Deny statement does (an explicit deny wins, as IAM evaluates,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 * Actions and resources match with `*` and `?` wildcards.
 */
export function policyAllows(policy: any, routeArn: string): boolean {
  const statements: any[] = Array.isArray(policy?.Statement) ? policy.Statement : policy?.Statement ? [policy.Statement] : [];
  const applies = (s: any) => list(s.Action).some((a) => glob(a, 'execute-api:Invoke')) && list(s.Resource).some((r) => glob(r, routeArn));
  const matching = statements.filter(applies);
  if (matching.some((s) => s.Effect === 'Deny')) return false;
  return matching.some((s) => s.Effect === 'Allow');
}

/** Whether a response is an IAM-policy response at all. */
export function isPolicyResponse(value: any): boolean {
  return typeof value === 'object' && value !== null && typeof value.principalId === 'string'
    && typeof value.policyDocument === 'object' && value.policyDocument !== null;
}

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : value === undefined ? [] : [String(value)];
}

function glob(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
  return regex.test(value);
}
