import { NotEmulated } from './not-emulated';
import { TemplateResolver } from '../assembly/intrinsics';

/**
 * HTTP APIs' default and maximum integration timeout
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
 */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 30_000;

/** An `AWS::ApiGatewayV2::Stage`. */
export interface StageModel {
  readonly logicalId: string;
  /** `$default` or a name that prefixes every path. */
  readonly name: string;
  readonly stageVariables: Record<string, string>;
  /** `DefaultRouteSettings` throttling: requests per second and bucket size. */
  readonly defaultThrottle?: ThrottleModel;
  /** `RouteSettings` throttling, by route key. */
  readonly routeThrottles: Record<string, ThrottleModel>;
  /** `AccessLogSettings.Format`, when the stage logs access. */
  readonly accessLogFormat?: string;
}

/** A stage's throttle settings; a missing limit is not enforced. */
export interface ThrottleModel {
  readonly rateLimit?: number;
  readonly burstLimit?: number;
}

/** An API's `CorsConfiguration`. */
export interface CorsModel {
  readonly allowOrigins: string[];
  readonly allowMethods: string[];
  readonly allowHeaders: string[];
  readonly exposeHeaders: string[];
  readonly allowCredentials: boolean;
  readonly maxAge?: number;
}

/** An `AWS::ApiGatewayV2::Authorizer`. */
export interface AuthorizerModel {
  readonly logicalId: string;
  readonly id: string;
  readonly name: string;
  readonly type: 'REQUEST' | 'JWT';
  /** `$request.header.Authorization`, ...; may be empty for a REQUEST authorizer without caching. */
  readonly identitySource: string[];
  /** REQUEST: the function the authorizer invokes. */
  readonly functionArn?: string;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly enableSimpleResponses: boolean;
  /** REQUEST: `AuthorizerResultTtlInSeconds`, how long a result is cached by its identity sources; 0 caches nothing. */
  readonly resultTtlSeconds: number;
  /** JWT: the issuer and the accepted audiences. */
  readonly jwt?: { readonly issuer: string; readonly audience: string[] };
}

/** An `AWS::ApiGatewayV2::Integration`. */
export interface IntegrationModel {
  readonly logicalId: string;
  readonly type: string;
  readonly subtype?: string;
  readonly connectionType: string;
  readonly payloadFormatVersion: '1.0' | '2.0';
  readonly timeoutMs: number;
  /** The resolved `IntegrationUri`. */
  readonly uri?: string;
  /** For a Lambda proxy integration: the ARN of the function it invokes, with its version or alias qualifier if it has one. */
  readonly functionArn?: string;
  /** Every resolved property, for the integrations layer. */
  readonly properties: Record<string, any>;
}

/** An `AWS::ApiGatewayV2::Route`. */
export interface RouteModel {
  readonly logicalId: string;
  /** `GET /books/{id}`, `ANY /{proxy+}`, `$default`. */
  readonly routeKey: string;
  readonly authorizationType: string;
  readonly integration?: IntegrationModel;
  readonly authorizer?: AuthorizerModel;
  /** JWT routes: at least one of these must be among the token's scopes. */
  readonly authorizationScopes: string[];
}

/** An `AWS::ApiGatewayV2::Api` with its stages and routes. */
export interface ApiModel {
  readonly logicalId: string;
  /** The local API id (what `Ref` of the API resolves to). */
  readonly id: string;
  readonly name: string;
  readonly protocol: 'HTTP' | 'WEBSOCKET';
  readonly stages: StageModel[];
  readonly routes: RouteModel[];
  readonly cors?: CorsModel;
}

/** The APIs of a stack and what of them the runner cannot emulate. */
export interface ApisModel {
  readonly apis: ApiModel[];
  readonly notEmulated: NotEmulated[];
}

/** Reads every API Gateway v2 API of the stack, with its stages, routes and integrations. */
export function readApis(resolver: TemplateResolver): ApisModel {
  const notEmulated: NotEmulated[] = [];
  const apiOf = (id: string, p: Record<string, any>) => resolver.resolveString(p.ApiId, `${id}.ApiId`);

  const integrations = new Map<string, IntegrationModel>();
  for (const [id, resource] of resolver.resourcesOfType('AWS::ApiGatewayV2::Integration')) {
    // Property by property: one that cannot be resolved (a CredentialsArn import) costs only itself.
    const p: Record<string, any> = {};
    for (const [key, value] of Object.entries(resource.Properties ?? {})) {
      if (key !== 'ApiId') p[key] = resolver.resolve(value, `${id}.${key}`);
    }
    const uri = typeof p.IntegrationUri === 'string' ? p.IntegrationUri : undefined;
    const integration: IntegrationModel = {
      logicalId: id,
      type: p.IntegrationType,
      subtype: p.IntegrationSubtype,
      connectionType: p.ConnectionType ?? 'INTERNET',
      payloadFormatVersion: p.PayloadFormatVersion === '2.0' ? '2.0' : '1.0',
      timeoutMs: p.TimeoutInMillis ?? DEFAULT_INTEGRATION_TIMEOUT_MS,
      uri,
      functionArn: p.IntegrationType === 'AWS_PROXY' && !p.IntegrationSubtype && uri ? lambdaFunctionArn(uri) : undefined,
      properties: p,
    };
    integrations.set(`integrations/${resolver.resolveString({ Ref: id }, id)}`, integration);
  }

  const authorizers = new Map<string, AuthorizerModel>();
  for (const [id, resource] of resolver.resourcesOfType('AWS::ApiGatewayV2::Authorizer')) {
    const p: Record<string, any> = resolver.resolve(resource.Properties ?? {}, id) ?? {};
    const authorizerId = resolver.resolveString({ Ref: id }, id)!;
    const type = p.AuthorizerType === 'JWT' ? 'JWT' : 'REQUEST';
    authorizers.set(authorizerId, {
      logicalId: id,
      id: authorizerId,
      name: p.Name ?? id,
      type,
      identitySource: Array.isArray(p.IdentitySource) ? p.IdentitySource : p.IdentitySource ? String(p.IdentitySource).split(',').map((x) => x.trim()) : [],
      functionArn: type === 'REQUEST' && typeof p.AuthorizerUri === 'string' ? lambdaFunctionArn(p.AuthorizerUri) : undefined,
      payloadFormatVersion: p.AuthorizerPayloadFormatVersion === '2.0' ? '2.0' : '1.0',
      enableSimpleResponses: p.EnableSimpleResponses === true,
      // A number, or a numeric string from a parameter; AWS caps it at 3600.
      resultTtlSeconds: Math.min(3600, Math.max(0, Number(p.AuthorizerResultTtlInSeconds ?? 0) || 0)),
      jwt: type === 'JWT' ? { issuer: String(p.JwtConfiguration?.Issuer ?? ''), audience: p.JwtConfiguration?.Audience ?? [] } : undefined,
    });
  }

  const apis: ApiModel[] = resolver.resourcesOfType('AWS::ApiGatewayV2::Api').map(([id, resource]) => {
    const p = resource.Properties ?? {};
    const apiId = resolver.resolveString({ Ref: id }, id)!;
    if (p.Body !== undefined || p.BodyS3Location !== undefined) {
      notEmulated.push({ what: 'API defined by an OpenAPI document (Body)', where: id });
    }
    if (p.Target !== undefined) notEmulated.push({ what: 'quick-create API (Target)', where: id });
    const stages = resolver.resourcesOfType('AWS::ApiGatewayV2::Stage')
      .filter(([sid, s]) => apiOf(sid, s.Properties ?? {}) === apiId)
      .map(([sid, s]): StageModel => {
        const sp = s.Properties ?? {};
        const routeSettings: Record<string, any> = resolver.resolve(sp.RouteSettings ?? {}, `${sid}.RouteSettings`) ?? {};
        return {
          logicalId: sid,
          name: resolver.resolveString(sp.StageName, `${sid}.StageName`) ?? '$default',
          stageVariables: resolver.resolve(sp.StageVariables ?? {}, `${sid}.StageVariables`) ?? {},
          defaultThrottle: throttle(resolver.resolve(sp.DefaultRouteSettings, `${sid}.DefaultRouteSettings`)),
          routeThrottles: Object.fromEntries(Object.entries(routeSettings)
            .map(([key, settings]) => [key, throttle(settings)])
            .filter((entry): entry is [string, ThrottleModel] => entry[1] !== undefined)),
          accessLogFormat: resolver.resolveString(sp.AccessLogSettings?.Format, `${sid}.AccessLogSettings.Format`),
        };
      });
    const routes = resolver.resourcesOfType('AWS::ApiGatewayV2::Route')
      .filter(([rid, r]) => apiOf(rid, r.Properties ?? {}) === apiId)
      .map(([rid, r]): RouteModel => {
        const rp = r.Properties ?? {};
        const target = resolver.resolveString(rp.Target, `${rid}.Target`);
        const authorizerId = rp.AuthorizerId === undefined ? undefined : resolver.resolveString(rp.AuthorizerId, `${rid}.AuthorizerId`);
        return {
          logicalId: rid,
          routeKey: resolver.resolveString(rp.RouteKey, `${rid}.RouteKey`) ?? '',
          authorizationType: resolver.resolveString(rp.AuthorizationType, `${rid}.AuthorizationType`) ?? 'NONE',
          integration: target ? integrations.get(target) : undefined,
          authorizer: authorizerId ? authorizers.get(authorizerId) : undefined,
          authorizationScopes: resolver.resolve(rp.AuthorizationScopes ?? [], `${rid}.AuthorizationScopes`) ?? [],
        };
      });
    return {
      logicalId: id,
      id: apiId,
      name: resolver.resolveString(p.Name, `${id}.Name`) ?? id,
      protocol: p.ProtocolType === 'WEBSOCKET' ? 'WEBSOCKET' : 'HTTP',
      stages,
      routes,
      cors: cors(resolver.resolve(p.CorsConfiguration, `${id}.CorsConfiguration`)),
    };
  });
  return { apis, notEmulated };
}

function throttle(settings: any): ThrottleModel | undefined {
  if (!settings || (settings.ThrottlingRateLimit === undefined && settings.ThrottlingBurstLimit === undefined)) return undefined;
  return {
    rateLimit: settings.ThrottlingRateLimit === undefined ? undefined : Number(settings.ThrottlingRateLimit),
    burstLimit: settings.ThrottlingBurstLimit === undefined ? undefined : Number(settings.ThrottlingBurstLimit),
  };
}

function cors(config: any): CorsModel | undefined {
  if (!config) return undefined;
  const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    allowOrigins: list(config.AllowOrigins),
    allowMethods: list(config.AllowMethods).map((m) => m.toUpperCase()),
    allowHeaders: list(config.AllowHeaders),
    exposeHeaders: list(config.ExposeHeaders),
    allowCredentials: config.AllowCredentials === true,
    maxAge: config.MaxAge === undefined ? undefined : Number(config.MaxAge),
  };
}

/**
 * The function ARN of a Lambda proxy integration's URI: either the function
 * ARN itself or the `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations` form
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_Integration.html, integrationUri).
 * A version or alias qualifier is kept: the pool runs the version it names.
 */
export function lambdaFunctionArn(uri: string): string | undefined {
  const inner = /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri)?.[1] ?? uri;
  return /^arn:[^:]+:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/.test(inner) ? inner : undefined;
}
