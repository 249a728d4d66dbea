import {
  HttpConnectionType,
  HttpIntegrationSubtype,
  HttpIntegrationType,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  IntegrationCredentials,
  ParameterMapping,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { configError } from './errors';
import { integrationRole } from './role';
import { HttpTimeout } from './timeout';

/** What an AWS-service (first-class) integration of an HTTP API needs to bind. */
export interface ServiceCall {
  readonly owner: string;
  readonly subtype: HttpIntegrationSubtype;
  readonly statement: iam.PolicyStatement;
  readonly parameterMapping: ParameterMapping;
  readonly role?: iam.IRole;
  readonly key?: kms.IKey;
  readonly kmsActions?: string[];
  readonly timeout: HttpTimeout;
}

/** Builds the role and returns the integration config (after checkSubtype). */
export function bindServiceCall(options: HttpRouteIntegrationBindOptions, call: ServiceCall): HttpRouteIntegrationConfig {
  const role = integrationRole(options.scope, call.statement, { role: call.role, key: call.key, kmsActions: call.kmsActions });
  return {
    payloadFormatVersion: PayloadFormatVersion.VERSION_1_0,
    type: HttpIntegrationType.AWS_PROXY,
    subtype: call.subtype,
    credentials: IntegrationCredentials.fromRole(role),
    connectionType: HttpConnectionType.INTERNET,
    parameterMapping: call.parameterMapping,
    timeout: call.timeout.forBase,
  };
}

/** Fails unless `subtype` is one of the service's (its names start with `prefix`). */
export function checkSubtype(options: HttpRouteIntegrationBindOptions, owner: string, subtype: string, prefix: string) {
  if (!subtype.startsWith(prefix)) {
    const allowed = Object.values(HttpIntegrationSubtype).filter((s) => s.startsWith(prefix)).join(', ');
    configError(options.scope, 'SubtypeOfAnotherService', owner, 'subtype',
      `'${subtype}' belongs to another service`,
      `use one of ${allowed}, or the integration class of that service`);
  }
}
