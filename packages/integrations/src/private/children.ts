import { CfnIntegration } from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/**
 * Named ways into children aws-cdk-lib creates under constructs it owns,
 * each with an error naming what was expected when aws-cdk-lib no longer
 * creates it there. The pattern packages import them by path
 * (`@apigw-blueprints/integrations/lib/private/children`).
 */

/** The policy aws-cdk-lib creates under a role when a statement is first added to it. */
export function defaultPolicyOf(role: iam.IRole): iam.Policy {
  return childOf(role, 'DefaultPolicy', iam.Policy, 'the policy aws-cdk-lib adds to a role with its first statement (addToPrincipalPolicy)');
}

/** The route a WebSocket API creates for `routeKey` (`$connect`, `$disconnect`, ...). */
export function webSocketRouteOf(api: IConstruct, routeKey: string): IConstruct {
  return childOf(api, `${routeKey}-Route`, undefined, `the route WebSocketApi creates for ${routeKey}`);
}

/** The `CfnIntegration` of the HttpIntegration the route integration base class creates under `scope` as `id` at bind. */
export function cfnIntegrationOf(scope: IConstruct, id: string): CfnIntegration {
  const integration = childOf(scope, id, undefined, 'the HttpIntegration HttpRouteIntegration creates when it is bound');
  const cfn = integration.node.defaultChild;
  if (!(cfn instanceof CfnIntegration)) throw new Error(`${integration.node.path} has no CfnIntegration as its default child: the aws-cdk-lib in use builds it otherwise; please report it with your aws-cdk-lib version`);
  return cfn;
}

/** The `$default` route an HttpApi creates for its `defaultIntegration`. */
export function httpDefaultRouteOf(api: IConstruct): IConstruct {
  return childOf(api, 'DefaultRoute', undefined, 'the $default route HttpApi creates for defaultIntegration');
}

function childOf<T extends IConstruct>(parent: IConstruct, id: string, type: (abstract new (...args: any[]) => T) | undefined, what: string): T {
  const child = parent.node.tryFindChild(id);
  if (!child || (type && !(child instanceof type))) {
    throw new Error(`${parent.node.path} has no child '${id}' (${what}): the aws-cdk-lib in use builds it otherwise; please report it with your aws-cdk-lib version`);
  }
  return child as T;
}
