/** One HTTP request as API Gateway hands it to an integration, after routing. */
export interface ApiRequest {
  readonly method: string;
  /** The path as sent, without the query string (still URL-encoded, stage prefix included). */
  readonly rawPath: string;
  /** The path without the stage prefix, as the route matched it. */
  readonly routePath: string;
  /** Everything after `?`, exactly as sent. */
  readonly rawQueryString: string;
  /** Header name/value pairs in the order received, names as sent. */
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
  readonly sourceIp: string;
  readonly protocol: string;
  readonly requestId: string;
  /** When API Gateway received the request (ms since the epoch). */
  readonly timeEpoch: number;
  readonly api: { readonly id: string; readonly domainName: string; readonly accountId: string };
  readonly stage: string;
  readonly stageVariables: Record<string, string>;
  readonly routeKey: string;
  /** The route's `{param}` values, URL-decoded. */
  readonly pathParameters: Record<string, string>;
  /** What the route's authorizer let through, once it has run. */
  readonly authorizer?: AuthorizerResult;
  /** How many of `headers`, from the first, are the client's own (the rest API Gateway adds): what a signature covers. @default all */
  readonly clientHeaderCount?: number;
}

/** What an authorizer hands on to the integration and the access log. */
export interface AuthorizerResult {
  /** A Lambda authorizer's `context` (simple or IAM-policy response). */
  readonly lambda?: Record<string, unknown>;
  /** An IAM-policy response's `principalId`. */
  readonly principalId?: string;
  /** An `AWS_IAM` route's verified caller. */
  readonly iam?: IamIdentity;
  /** A JWT authorizer's verified claims, as text as AWS sends them, and the token's scopes. */
  readonly jwt?: { readonly claims: Record<string, string>; readonly scopes: string[] | null };
}

/** The caller of an `AWS_IAM` route, as payload 2.0's `requestContext.authorizer.iam` shows it. */
export interface IamIdentity {
  readonly accessKey: string;
  readonly accountId: string;
  readonly callerId: string;
  readonly cognitoIdentity: null;
  readonly principalOrgId: null;
  readonly userArn: string;
  readonly userId: string;
}

/** What goes back to the client. */
export interface ApiResponse {
  readonly statusCode: number;
  /** Header name/value pairs; a name may repeat (`set-cookie`). */
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
  /** API Gateway's own error message, when API Gateway (not the backend) answered: `$context.error.message`. */
  readonly errorMessage?: string;
  /**
   * What the integration answered: `status` for `$context.integrationStatus`
   * (Lambda's own status for a Lambda proxy), `backendStatus` for
   * `$context.integration.status` (the function's `statusCode`), `error` for
   * `$context.integrationErrorMessage`.
   */
  readonly integration?: {
    readonly status?: number;
    readonly backendStatus?: number;
    readonly error?: string;
    /** What the integration invoked, for the runner's request line (a function's name with its qualifier). */
    readonly target?: string;
  };
  /** How long the integration took, ms, when one ran. */
  readonly integrationLatencyMs?: number;
  /** What the route's authorizer passed on, for `$context.authorizer.*` in the access log. */
  readonly authorizer?: AuthorizerResult;
}

/** What a route's integration does with a request. */
export interface RouteIntegration {
  handle(request: ApiRequest): Promise<ApiResponse>;
}

/** A JSON `{"message": ...}` answer, the shape of API Gateway's own error responses. */
export function messageResponse(statusCode: number, message: string, integration?: ApiResponse['integration']): ApiResponse {
  return { statusCode, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify({ message })), errorMessage: message, integration };
}

/**
 * Answers a route whose integration the runner does not emulate. The runner's
 * own answer: AWS has no such case.
 */
export class NotImplementedIntegration implements RouteIntegration {
  constructor(private readonly what: string) {}

  public async handle(): Promise<ApiResponse> {
    return messageResponse(501, `Not Implemented: ${this.what}`);
  }
}
