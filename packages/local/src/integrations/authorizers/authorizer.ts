import { ApiRequest, ApiResponse, AuthorizerResult, messageResponse, RouteIntegration } from '../api-request';
import { evaluateMapping } from '../mapping/mapping-expression';

/** An authorizer's verdict: what to pass on, or the answer the client gets instead. */
export type Verdict =
  | { readonly allow: true; readonly result: AuthorizerResult }
  | { readonly allow: false; readonly response: ApiResponse };

/** A route's authorizer. */
export interface Authorizer {
  authorize(request: ApiRequest): Promise<Verdict>;
}

/** 401 `{"message":"Unauthorized"}`, as HTTP APIs answer a missing or rejected identity. */
export function unauthorized(extraHeaders: Array<[string, string]> = []): Verdict {
  const response = messageResponse(401, 'Unauthorized');
  return { allow: false, response: { ...response, headers: [...response.headers, ...extraHeaders] } };
}

/** 403 `{"message":"Forbidden"}`, the runner's answer to a denial (AWS documents no body for HTTP APIs). */
export function forbidden(extraHeaders: Array<[string, string]> = []): Verdict {
  const response = messageResponse(403, 'Forbidden');
  return { allow: false, response: { ...response, headers: [...response.headers, ...extraHeaders] } };
}

/**
 * The values of an authorizer's identity sources (`$request.header.x`,
 * `$request.querystring.x`, `$context.x`, `$stageVariables.x`), or
 * undefined when one is missing or empty: API Gateway then answers 401
 * without invoking the authorizer
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html).
 */
export function identityValues(sources: string[], request: ApiRequest): string[] | undefined {
  const values = sources.map((source) => evaluateMapping(source, request));
  return values.every((v): v is string => v !== undefined && v !== '') ? values : undefined;
}

/** Runs the route's authorizer first; the integration sees the request only when it allows, with what it passed on. */
export class AuthorizedIntegration implements RouteIntegration {
  constructor(private readonly authorizer: Authorizer, private readonly inner: RouteIntegration) {}

  public async handle(request: ApiRequest): Promise<ApiResponse> {
    const verdict = await this.authorizer.authorize(request);
    if (!verdict.allow) return verdict.response;
    const response = await this.inner.handle({ ...request, authorizer: verdict.result });
    return { ...response, authorizer: verdict.result };
  }
}
