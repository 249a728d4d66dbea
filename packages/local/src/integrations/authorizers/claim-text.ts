/**
 * A JWT's claims as API Gateway hands them to the integration: every value
 * a string. AWS's payload 2.0 example shows only strings
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html);
 * what it does with other JSON types is observed, not documented:
 * - numbers as their digits: `"exp": "1787996002"` (captured events in
 *   DefinitelyTyped/DefinitelyTyped#75458, awsdocs/amazon-api-gateway-developer-guide#113);
 * - booleans as `"true"` / `"false"`, null claims left out (floci-io/floci#2011, measured against AWS);
 * - arrays as their items in brackets, separated by spaces, `"[admin poweruser]"`
 *   (aws-solutions-library-samples/guidance-for-claude-code-with-amazon-bedrock#803,
 *   aws/aws-lambda-go#591);
 * - objects as Go prints a map, `"map[key:value]"`, keys sorted (aws/aws-lambda-go#570).
 * Numbers inside arrays and objects are written as at the top level (no capture shows them).
 */
export function claimsAsAwsSends(claims: Record<string, unknown>): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value !== null && value !== undefined) texts[name] = claimText(value);
  }
  return texts;
}

function claimText(value: unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (Array.isArray(value)) return `[${value.map(claimText).join(' ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, v]) => `${k}:${claimText(v)}`).join(' ')}]`;
  }
  return String(value);
}
