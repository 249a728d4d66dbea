import { Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * CORS settings for the patterns' HTTP APIs. The default allows no browser
 * origin at all: a caller names the origins it trusts.
 */
export class CorsDefaults {
  /**
   * Preflight settings for `allowOrigins` (none: browsers on other origins are refused),
   * the given methods, `content-type` and `authorization` headers, cached for an hour.
   */
  public static restrictive(allowOrigins: string[] = [], allowMethods: CorsHttpMethod[] = [CorsHttpMethod.GET]): CorsPreflightOptions | undefined {
    if (allowOrigins.length === 0) return undefined;
    return {
      allowOrigins,
      allowMethods,
      allowHeaders: ['content-type', 'authorization'],
      maxAge: Duration.hours(1),
    };
  }

  private constructor() {}
}
