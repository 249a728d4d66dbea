import { HttpRouteIntegrationBindOptions, IVpcLink, VpcLink } from 'aws-cdk-lib/aws-apigatewayv2';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { configError } from './errors';

// Security groups this package already attached to each VPC link, so that two
// integrations sharing a link (same API and VPC) never attach a group twice.
const attached = new WeakMap<VpcLink, Set<ec2.ISecurityGroup>>();

/**
 * The VPC link a private integration uses: the caller's, or the API's link for
 * the VPC, created when absent. HttpApi.addVpcLink keeps one link per VPC and
 * API, so routes to several targets in one VPC share it; each integration's
 * security groups are added to the shared link.
 */
export function resolveVpcLink(owner: string, options: HttpRouteIntegrationBindOptions,
  given: { vpcLink?: IVpcLink; vpc?: ec2.IVpc; securityGroups?: ec2.ISecurityGroup[]; subnets?: ec2.SubnetSelection },
  /** Why the VPC is unknown, true for this integration's kind of target. */
  noVpc: string): IVpcLink {
  if (given.vpcLink) return given.vpcLink;
  if (!given.vpc) {
    configError(options.scope, 'VpcLinkOrVpcRequired', owner, 'vpcLink',
      `${noVpc}, so no VPC link can be created for it`,
      'pass vpcLink (an existing VPC link) or vpc (a VPC link is then created in it)');
  }
  const link = options.route.httpApi.addVpcLink({ vpc: given.vpc, subnets: given.subnets });
  const groups = given.securityGroups ?? [];
  if (groups.length && link instanceof VpcLink) {
    const seen = attached.get(link) ?? new Set<ec2.ISecurityGroup>();
    const fresh = groups.filter((g) => !seen.has(g));
    if (fresh.length) link.addSecurityGroups(...fresh);
    fresh.forEach((g) => seen.add(g));
    attached.set(link, seen);
  }
  return link;
}
