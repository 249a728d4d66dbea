import { Stack, Token } from 'aws-cdk-lib';
import { CfnAccount } from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { configError } from '../private/errors';
import { acknowledgeNagRule } from '../private/nag';

const ID = 'ApiGatewayAccountCloudWatchRole';
// The policy the API Gateway logging setup names for this role
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
const PUSH_TO_LOGS = 'service-role/AmazonAPIGatewayPushToCloudWatchLogs';

/**
 * The API Gateway account setting that lets stages write logs: a role API
 * Gateway assumes to push to CloudWatch Logs, set on the account
 * (`AWS::ApiGateway::Account`). There is one such setting per account and
 * Region ([docs](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html)),
 * so there is one of this construct per stack, however many stages ask for
 * it, and two stacks of one app that would set it for the same account and
 * Region fail at synth.
 */
export class AccountCloudWatchRole extends Construct {
  /**
   * The stack's AccountCloudWatchRole, created on first use. `requester` is
   * the class asking, named in the error when another stack of the app
   * already sets the role for the same account and Region.
   */
  public static of(scope: IConstruct, requester: string): AccountCloudWatchRole {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    if (existing instanceof AccountCloudWatchRole) return existing;
    const other = stack.node.root.node.findAll().find((c): c is AccountCloudWatchRole =>
      c instanceof AccountCloudWatchRole && sameEnvironment(Stack.of(c), stack));
    if (other) {
      configError(scope, 'AccountRoleTwice', requester, 'createCloudWatchRole',
        `${other.node.path} already sets the API Gateway CloudWatch Logs role of the same account and Region, which holds one role`,
        'turn createCloudWatchRole on in one stack of the app only, or give the stacks different env (account or region)');
    }
    return new AccountCloudWatchRole(stack, ID);
  }

  /** The role API Gateway assumes to write logs. */
  public readonly role: iam.Role;
  /** The account setting. */
  public readonly account: CfnAccount;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    const pushToLogs = iam.ManagedPolicy.fromAwsManagedPolicyName(PUSH_TO_LOGS);
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [pushToLogs],
    });
    this.account = new CfnAccount(this, 'Account', { cloudWatchRoleArn: this.role.roleArn });
    acknowledgeNagRule(this.role, 'AwsSolutions-IAM4',
      'The managed policy the API Gateway documentation names for the account logging role: API Gateway picks the log groups at runtime, so no narrower list exists',
      { policy: pushToLogs.managedPolicyArn });
  }
}

/** Env-agnostic stacks deploy wherever the CLI points, so they count as the same place as any stack. */
function sameEnvironment(a: Stack, b: Stack): boolean {
  const same = (x: string, y: string) => Token.isUnresolved(x) || Token.isUnresolved(y) || x === y;
  return same(a.account, b.account) && same(a.region, b.region);
}
