import { ParameterMapping } from 'aws-cdk-lib/aws-apigatewayv2';

/** A copy of `mapping`, so adding defaults never changes the caller's object. */
export function copyMapping(mapping: ParameterMapping): ParameterMapping {
  const copy = new ParameterMapping();
  for (const [key, value] of Object.entries(mapping.mappings)) {
    copy.custom(key, value);
  }
  return copy;
}

/** The caller's mapping with `key` added when absent (on a copy), or a new mapping of `key` alone. */
export function withDefault(mapping: ParameterMapping | undefined, key: string, value: string): ParameterMapping {
  if (!mapping) return new ParameterMapping().custom(key, value);
  if (key in mapping.mappings) return mapping;
  return copyMapping(mapping).custom(key, value);
}
