import { Duration, Stack } from 'aws-cdk-lib';
import {
  HttpIntegrationSubtype,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  ParameterMapping,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as iam from 'aws-cdk-lib/aws-iam';
import { configError } from '../private/errors';
import { copyMapping } from '../private/mapping';
import { bindServiceCall, checkSubtype } from '../private/service-integration';
import { HttpTimeout } from '../private/timeout';

const OWNER = 'HttpAppConfigIntegration';

/**
 * Properties of an HttpAppConfigIntegration.
 */
export interface HttpAppConfigIntegrationProps {
  /** The AppConfig application. */
  readonly application: appconfig.IApplication;
  /** The environment of the application whose deployed configuration is read. */
  readonly environment: appconfig.IEnvironment;
  /** The configuration profile to read. */
  readonly configuration: appconfig.IConfiguration;

  /**
   * Which AppConfig API the route calls (AppConfig-GetConfiguration is the one API Gateway offers).
   * @default HttpIntegrationSubtype.APPCONFIG_GET_CONFIGURATION
   */
  readonly subtype?: HttpIntegrationSubtype;

  /**
   * Request parameters of the GetConfiguration call. Missing `Application`,
   * `Environment`, `Configuration` and `ClientId` are added (on a copy).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html#AppConfig-GetConfiguration
   * @default - the three ids, and `ClientId` from `$request.querystring.clientId`
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * A role for API Gateway to assume instead of the one this integration creates.
   * @default - a new role trusted by apigateway.amazonaws.com
   */
  readonly credentialsRole?: iam.IRole;

  /**
   * How long API Gateway waits for AppConfig: 50 ms to 30 s.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
}

/**
 * Reads a deployed AppConfig configuration from an HTTP API route (not in aws-cdk-lib).
 */
export class HttpAppConfigIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: HttpAppConfigIntegrationProps) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const subtype = this.props.subtype ?? HttpIntegrationSubtype.APPCONFIG_GET_CONFIGURATION;
    checkSubtype(options, OWNER, subtype, 'AppConfig-');
    const ids: Record<string, string> = {
      Application: this.props.application.applicationId,
      Environment: this.props.environment.environmentId,
      Configuration: this.props.configuration.configurationProfileId,
      // GetConfiguration requires a client id; the caller names itself in the query string.
      ClientId: '$request.querystring.clientId',
    };
    // The role is granted these ids only: a caller's mapping that chose others would be denied at runtime.
    for (const key of ['Application', 'Environment', 'Configuration']) {
      if (this.props.parameterMapping && key in this.props.parameterMapping.mappings) {
        configError(options.scope, 'AppConfigIdMapped', OWNER, 'parameterMapping',
          `it sets ${key}, but the role may read only the configuration given by application, environment and configuration`,
          `leave ${key} out of parameterMapping; use one integration per configuration`);
      }
    }
    const mapping = this.props.parameterMapping ? copyMapping(this.props.parameterMapping) : new ParameterMapping();
    for (const [key, value] of Object.entries(ids)) {
      if (!(key in mapping.mappings)) mapping.custom(key, value);
    }
    // GetConfiguration is authorized on the application, the environment and the
    // configuration profile (the resource types the IAM Service Authorization
    // Reference lists for it:
    // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsappconfig.html).
    const stack = Stack.of(options.route);
    const application = (resourceName: string) => stack.formatArn({ service: 'appconfig', resource: 'application', resourceName });
    const resources = [
      application(ids.Application),
      application(`${ids.Application}/environment/${ids.Environment}`),
      application(`${ids.Application}/configurationprofile/${ids.Configuration}`),
    ];
    return bindServiceCall(options, {
      owner: OWNER,
      subtype,
      statement: new iam.PolicyStatement({ sid: 'AllowAppConfigGetConfiguration', actions: ['appconfig:GetConfiguration'], resources }),
      parameterMapping: mapping,
      role: this.props.credentialsRole,
      timeout: this.timeout,
    });
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }
}
