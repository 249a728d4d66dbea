import { Duration, Names, Stack } from 'aws-cdk-lib';
import {
  HttpIntegrationType,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  ParameterMapping,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { HttpTimeout } from '../private/timeout';

/**
 * Properties of an HttpLambdaIntegration.
 */
export interface HttpLambdaIntegrationProps {
  /**
   * The event format API Gateway sends to the function.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
   * @default PayloadFormatVersion.VERSION_2_0
   */
  readonly payloadFormatVersion?: PayloadFormatVersion;

  /**
   * Changes to the request before it reaches the function.
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
   * @default - the request is passed on unchanged
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * How long API Gateway waits for the function: 50 ms to 30 s.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * Give API Gateway permission to invoke the function from this route only
   * (one permission per route). When false, one permission per API lets every
   * route of it invoke the function, which keeps the function policy small
   * when many routes share one function.
   * @default true
   */
  readonly scopePermissionToRoute?: boolean;
}

/**
 * Sends the requests of an HTTP API route to a Lambda function (proxy integration).
 */
export class HttpLambdaIntegration extends HttpRouteIntegration {
  private readonly constructId: string;
  private readonly timeout: HttpTimeout;

  /**
   * @param id id of the underlying integration construct
   * @param handler the function that answers the route
   * @param props properties of the integration
   */
  constructor(id: string, private readonly handler: lambda.IFunction, private readonly props: HttpLambdaIntegrationProps = {}) {
    super(id);
    this.constructId = id;
    this.timeout = new HttpTimeout('HttpLambdaIntegration', id, props.timeout);
  }

  public bind(_options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    return {
      type: HttpIntegrationType.AWS_PROXY,
      uri: this.handler.functionArn,
      payloadFormatVersion: this.props.payloadFormatVersion ?? PayloadFormatVersion.VERSION_2_0,
      parameterMapping: this.props.parameterMapping,
      timeout: this.timeout.forBase,
    };
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
    const route = options.route;
    const stack = Stack.of(route);
    if (this.props.scopePermissionToRoute ?? true) {
      this.handler.addPermission(`${this.constructId}-Permission`, {
        scope: options.scope,
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        sourceArn: stack.formatArn({ service: 'execute-api', resource: route.httpApi.apiId, resourceName: `*/*${route.path ?? ''}` }),
      });
      return;
    }
    // One permission per (function, API): later routes of the same API reuse it.
    const permissionId = `ApiPermission.ApiScoped.${Names.nodeUniqueId(this.handler.node)}.${Names.nodeUniqueId(route.httpApi.node)}`;
    const exists = Stack.of(options.scope).node.findAll().some((c) => c instanceof lambda.CfnPermission && c.node.id === permissionId);
    if (!exists) {
      this.handler.addPermission(permissionId, {
        scope: options.scope,
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        // `*/*` and not `*/*/*`: API Gateway invokes the `$default` route as
        // `<api>/<stage>/$default`, one segment short of `<stage>/<method>/<path>`,
        // and IAM's `*` matches across slashes, so this covers both forms (and, within
        // this one API, `<api>/authorizers/<id>`, the source of a Lambda authorizer call).
        sourceArn: stack.formatArn({ service: 'execute-api', resource: route.httpApi.apiId, resourceName: '*/*' }),
      });
    }
  }
}
