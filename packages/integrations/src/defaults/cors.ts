import { Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * CORS settings for the patterns' HTTP APIs. The default allows no browser
 * origin at all: a caller names the origins it trusts.
 */
export class CorsDefaults {
  /**
   * Response headers the patterns send that a browser script needs to read:
   * `location` of a 201, `retry-after` of a 503 or 429, and API Gateway's
   * `apigw-requestid` for support requests. Without `Access-Control-Expose-Headers`
   * a browser shows a cross-origin script only the CORS-safelisted response
   * headers (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name).
   */
  public static readonly EXPOSED_RESPONSE_HEADERS: string[] = ['location', 'retry-after', 'apigw-requestid'];

  /**
   * Preflight settings for `allowOrigins` (none: browsers on other origins are refused),
   * the given methods, `content-type` and `authorization` headers, cached for an hour;
   * the patterns' own response headers (`CorsDefaults.EXPOSED_RESPONSE_HEADERS`) readable by scripts.
   */
  public static restrictive(allowOrigins: string[] = [], allowMethods: CorsHttpMethod[] = [CorsHttpMethod.GET]): CorsPreflightOptions | undefined {
    if (allowOrigins.length === 0) return undefined;
    return {
      allowOrigins,
      allowMethods,
      allowHeaders: ['content-type', 'authorization'],
      exposeHeaders: [...CorsDefaults.EXPOSED_RESPONSE_HEADERS],
      maxAge: Duration.hours(1),
    };
  }

  private constructor() {}
}
