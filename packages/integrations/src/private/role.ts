import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The role API Gateway assumes to call an AWS service: the caller's, or a new
 * one that trusts apigateway.amazonaws.com only. Either way it gets exactly
 * `statement`, plus `kmsActions` on a customer-managed key when the target has one.
 */
export interface IntegrationRoleOptions {
  readonly role?: iam.IRole;
  readonly key?: kms.IKey;
  readonly kmsActions?: string[];
}

export function integrationRole(scope: Construct, statement: iam.PolicyStatement, options: IntegrationRoleOptions = {}): iam.IRole {
  const role = options.role ?? new iam.Role(scope, 'InvokeRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
  });
  role.addToPrincipalPolicy(statement);
  if (options.key && options.kmsActions?.length) {
    options.key.grant(role, ...options.kmsActions);
  }
  return role;
}
