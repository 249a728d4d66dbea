import { isPolicyResponse, policyAllows } from './iam-policy';
import { FunctionPool } from '../../functions/function-pool';
import { IamIdentity } from '../api-request';
import { wsLambdaEvent } from '../websocket/ws-lambda-events';
import { WsAuthorizerResult, wsContext, WsRequest } from '../websocket/ws-request';

/** A WebSocket API's Lambda REQUEST authorizer as the template defines it. */
export interface WsLambdaAuthorizerSettings {
  readonly functionArn: string;
  /** `route.request.header.Auth`, `route.request.querystring.token`, `stageVariables.x`, `context.x`. */
  readonly identitySource: string[];
  readonly region: string;
}

/** A `$connect` authorizer's verdict: what the connection carries, or the status that refuses the handshake. */
export type WsVerdict =
  | { readonly allow: true; readonly result?: WsAuthorizerResult; readonly iam?: IamIdentity }
  | { readonly allow: false; readonly status: 401 | 403 | 500 };

/**
 * The Lambda REQUEST authorizer of a `$connect` route, as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-lambda-auth.html
 * describes it: an identity source missing or empty refuses the handshake
 * with 401 without an invocation (the `IdentitySource` property of
 * AWS::ApiGatewayV2::Authorizer); otherwise the authorizer gets the
 * `$connect` request with `type: "REQUEST"` and a `methodArn` ending in
 * `/$connect`, and answers an IAM policy (`principalId`, `policyDocument`,
 * optional `context`, api-gateway-lambda-authorizer-output.html). A policy
 * that does not allow `execute-api:Invoke` on the method ARN is 403. An
 * authorizer that throws `Unauthorized` is 401, as for REST APIs, whose
 * authorizers WebSocket ones follow; any other failure, an answer that is
 * not a policy, or a context value that is an object or an array (REST
 * APIs refuse those) is 500. Every handshake invokes the authorizer:
 * results are cached only for HTTP APIs (`AuthorizerResultTtlInSeconds`).
 */
export class WsLambdaAuthorizer {
  constructor(
    private readonly pool: FunctionPool,
    private readonly settings: WsLambdaAuthorizerSettings,
    private readonly log: (line: string) => void,
  ) {}

  public async authorize(request: WsRequest): Promise<WsVerdict> {
    if (this.settings.identitySource.some((source) => !identityValue(source, request))) return { allow: false, status: 401 };
    const methodArn = `arn:aws:execute-api:${this.settings.region}:${request.api.accountId}:${request.api.id}/${request.stage}/$connect`;
    const started = Date.now();
    const outcome = await this.pool.invoke(this.settings.functionArn, {
      type: 'REQUEST', methodArn, ...wsLambdaEvent(request), stageVariables: request.stageVariables,
    });
    const integrationLatency = Date.now() - started;
    if (!outcome.ok) {
      if (outcome.errorMessage === 'Unauthorized') return { allow: false, status: 401 };
      return this.failed(request, `the authorizer failed: ${outcome.errorType}: ${outcome.errorMessage}`);
    }
    const answer: any = outcome.payload;
    if (!isPolicyResponse(answer)) return this.failed(request, `the authorizer's answer is not an IAM-policy response: ${JSON.stringify(answer)?.slice(0, 200)}`);
    const context: Record<string, unknown> = answer.context ?? {};
    const nested = Object.entries(context).find(([, v]) => typeof v === 'object' && v !== null);
    if (nested) return this.failed(request, `the authorizer's context.${nested[0]} is an object or an array; context values must be strings, numbers or booleans`);
    if (!policyAllows(answer.policyDocument, methodArn)) return { allow: false, status: 403 };
    return {
      allow: true,
      result: {
        principalId: answer.principalId,
        // Stringified, as `$context.authorizer.<key>` is documented to be.
        context: Object.fromEntries(Object.entries(context).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)])),
        integrationLatency,
      },
    };
  }

  private failed(request: WsRequest, reason: string): WsVerdict {
    this.log(`$connect (${request.connection.id}, ${request.requestId}): ${reason}`);
    return { allow: false, status: 500 };
  }
}

/** The value of one identity source of a WebSocket authorizer, or undefined when it is missing. */
function identityValue(source: string, request: WsRequest): string | undefined {
  const header = /^route\.request\.header\.(.+)$/.exec(source);
  if (header) {
    const name = header[1].toLowerCase();
    return request.connection.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v).find((v) => v !== '');
  }
  const query = /^route\.request\.querystring\.(.+)$/.exec(source);
  if (query) return new URLSearchParams(request.connection.rawQueryString).getAll(query[1]).find((v) => v !== '');
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) return request.stageVariables[stageVariable[1]] || undefined;
  const context = /^context\.(.+)$/.exec(source);
  if (context) {
    const value = context[1].split('.').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], wsContext(request));
    return value === undefined || value === null || value === '' ? undefined : String(value);
  }
  return undefined;
}
