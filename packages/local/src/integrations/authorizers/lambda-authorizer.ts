import { Authorizer, forbidden, identityValues, unauthorized, Verdict } from './authorizer';
import { isPolicyResponse, policyAllows } from './iam-policy';
import { FunctionPool } from '../../functions/function-pool';
import { ApiRequest, messageResponse } from '../api-request';
import { eventV1 } from '../lambda-proxy/event-v1';
import { eventV2 } from '../lambda-proxy/event-v2';

/** A Lambda REQUEST authorizer as the template defines it. */
export interface LambdaAuthorizerSettings {
  readonly functionArn: string;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly enableSimpleResponses: boolean;
  readonly identitySource: string[];
  readonly region: string;
}

/**
 * A Lambda REQUEST authorizer run in the functions' execution environments
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html):
 * a missing identity source is 401 without an invocation; the event is the
 * request in the authorizer's payload format, without the body; the answer
 * is a simple response (`isAuthorized`, 2.0 with simple responses on) or an
 * IAM policy for `execute-api:Invoke` on the route's ARN. A denial is 403
 * (the runner's body, `{"message":"Forbidden"}`); a failed invocation or an
 * answer of neither shape is 500, as AWS documents. Results are not cached.
 */
export class LambdaAuthorizer implements Authorizer {
  constructor(
    private readonly pool: FunctionPool,
    private readonly settings: LambdaAuthorizerSettings,
    private readonly log: (line: string) => void,
  ) {}

  public async authorize(request: ApiRequest): Promise<Verdict> {
    const identity = identityValues(this.settings.identitySource, request);
    if (this.settings.identitySource.length > 0 && !identity) return unauthorized();
    const routeArn = this.routeArn(request);
    const outcome = await this.pool.invoke(this.settings.functionArn, this.event(request, routeArn, identity ?? []));
    if (!outcome.ok) return this.failed(request, `the authorizer failed: ${outcome.errorType}: ${outcome.errorMessage}`);
    const answer: any = outcome.payload;
    if (this.settings.payloadFormatVersion === '2.0' && this.settings.enableSimpleResponses && typeof answer?.isAuthorized === 'boolean') {
      return answer.isAuthorized ? { allow: true, result: { lambda: answer.context ?? {} } } : forbidden();
    }
    if (isPolicyResponse(answer)) {
      if (!policyAllows(answer.policyDocument, routeArn)) return forbidden();
      return { allow: true, result: { lambda: answer.context ?? {}, principalId: answer.principalId } };
    }
    return this.failed(request, `the authorizer's answer is neither a simple nor an IAM-policy response: ${JSON.stringify(answer)?.slice(0, 200)}`);
  }

  /** `arn:aws:execute-api:<region>:<account>:<api>/<stage>/<method><path>`, the resource an IAM policy names. */
  private routeArn(request: ApiRequest): string {
    const route = request.routeKey === '$default' ? '$default' : `${request.method}${request.routePath}`;
    return `arn:aws:execute-api:${this.settings.region}:${request.api.accountId}:${request.api.id}/${request.stage}/${route}`;
  }

  private event(request: ApiRequest, routeArn: string, identity: string[]): Record<string, unknown> {
    if (this.settings.payloadFormatVersion === '2.0') {
      const { body: _b, isBase64Encoded: _i, ...rest } = eventV2(request);
      return { ...rest, type: 'REQUEST', routeArn, identitySource: identity };
    }
    const routePath = request.routeKey === '$default' ? '$default' : request.routeKey.split(/\s+/)[1];
    const { body: _b, isBase64Encoded: _i, ...rest } = eventV1(request, routePath);
    return { ...rest, type: 'REQUEST', methodArn: routeArn, identitySource: identity.join(','), authorizationToken: identity[0] };
  }

  private failed(request: ApiRequest, reason: string): Verdict {
    this.log(`${request.routeKey} (${request.requestId}): ${reason}`);
    return { allow: false, response: messageResponse(500, 'Internal Server Error') };
  }
}
