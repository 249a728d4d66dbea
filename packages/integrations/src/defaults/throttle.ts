import { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * Default route throttling of the patterns' stages: well under the account
 * quota (10,000 requests per second, shared by every API of the account and
 * region), so one API cannot starve the others.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html
 */
export class StageThrottle {
  /** Steady-state requests per second. */
  public static readonly DEFAULT_RATE_LIMIT = 100;
  /** Requests allowed in a burst. */
  public static readonly DEFAULT_BURST_LIMIT = 200;

  /** `settings`, with the defaults filled in for what it leaves out. */
  public static withDefaults(settings?: ThrottleSettings): ThrottleSettings {
    return {
      rateLimit: settings?.rateLimit ?? StageThrottle.DEFAULT_RATE_LIMIT,
      burstLimit: settings?.burstLimit ?? StageThrottle.DEFAULT_BURST_LIMIT,
    };
  }

  private constructor() {}
}
