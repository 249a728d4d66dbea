import { TemplateResolver } from '../assembly/intrinsics';

/** A key schema element, as in CreateTable. */
export interface KeyElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

/** A secondary index, as in CreateTable. */
export interface IndexModel {
  readonly IndexName: string;
  readonly KeySchema: KeyElement[];
  readonly Projection: { ProjectionType?: string; NonKeyAttributes?: string[] };
}

/** An `AWS::DynamoDB::Table` as the runner creates it. */
export interface TableModel {
  readonly logicalId: string;
  readonly name: string;
  readonly keySchema: KeyElement[];
  readonly attributeDefinitions: Array<{ AttributeName: string; AttributeType: string }>;
  readonly globalSecondaryIndexes: IndexModel[];
  readonly localSecondaryIndexes: IndexModel[];
  readonly provisioned: boolean;
  /** The TTL attribute, when TTL is enabled (recorded; dynalite does not expire items). */
  readonly ttlAttribute?: string;
}

/** Every DynamoDB table of the stack. */
export function readTables(resolver: TemplateResolver): TableModel[] {
  return resolver.resourcesOfType('AWS::DynamoDB::Table').map(([id, resource]) => {
    // Only what CreateTable needs: a property the runner ignores (a KMS key, a stream) must not be listed as unresolved.
    const used = ['KeySchema', 'AttributeDefinitions', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'BillingMode', 'ProvisionedThroughput', 'TimeToLiveSpecification'];
    const p: Record<string, any> = {};
    for (const key of used) {
      if (resource.Properties?.[key] !== undefined) p[key] = resolver.resolve(resource.Properties[key], `${id}.${key}`);
    }
    const index = (i: any): IndexModel => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection ?? { ProjectionType: 'ALL' } });
    return {
      logicalId: id,
      name: resolver.nameOf(id),
      keySchema: p.KeySchema ?? [],
      attributeDefinitions: p.AttributeDefinitions ?? [],
      globalSecondaryIndexes: (p.GlobalSecondaryIndexes ?? []).map(index),
      localSecondaryIndexes: (p.LocalSecondaryIndexes ?? []).map(index),
      provisioned: p.BillingMode === 'PROVISIONED' || (p.BillingMode === undefined && p.ProvisionedThroughput !== undefined),
      ttlAttribute: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
    };
  });
}
