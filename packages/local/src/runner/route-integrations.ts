import { JsonWebKey } from 'node:crypto';
import { StartupReport } from './startup-report';
import { FunctionPool } from '../functions/function-pool';
import { RUNNER_SIGNING_KEY } from '../functions/lambda-environment';
import { messageResponse, NotImplementedIntegration, RouteIntegration } from '../integrations/api-request';
import { AuthorizedIntegration } from '../integrations/authorizers/authorizer';
import { IamAuthorizer } from '../integrations/authorizers/iam-authorizer';
import { JwtAuthorizer } from '../integrations/authorizers/jwt-authorizer';
import { LambdaAuthorizer } from '../integrations/authorizers/lambda-authorizer';
import { HttpProxyIntegration } from '../integrations/http-proxy/http-proxy-integration';
import { LambdaProxyIntegration } from '../integrations/lambda-proxy/lambda-proxy-integration';
import { isStepFunctionsSubtype, StepFunctionsIntegration } from '../integrations/step-functions/step-functions-integration';
import { TimeLimitedIntegration } from '../integrations/time-limit';
import { FunctionModel, whyNotInvocable } from '../model/functions';
import { AuthorizerModel, IntegrationModel, RouteModel } from '../model/http-apis';
import { StepFunctionsService } from '../services/step-functions';

/** What the runner has to build route integrations from. */
export interface IntegrationContext {
  readonly functions: FunctionModel[];
  readonly pool: FunctionPool;
  readonly stepFunctions: StepFunctionsService;
  /** `--target` URLs of private integrations, by integration logical id; `*` for all. */
  readonly targets: Record<string, string>;
  /** `--jwks`: the keys JWT authorizers verify signatures with. */
  readonly jwks?: { readonly keys: JsonWebKey[] };
  readonly region: string;
  /** The stack's account: an AWS_IAM caller's. */
  readonly accountId: string;
  /** The clock (ms) of authorizer caches and signature dates. @default Date.now */
  readonly clock?: () => number;
  /** How long a Lambda authorizer may take. @default 10 s, HTTP APIs' quota */
  readonly authorizerLimitMs?: number;
  /** The Lambda authorizers made so far, by authorizer id: routes of one authorizer share it (and its cache). */
  readonly lambdaAuthorizers: Map<string, LambdaAuthorizer>;
  readonly log: (line: string) => void;
  /** Where what the runner cannot run, and private integrations without a target, are reported. */
  readonly report: StartupReport;
}

/**
 * The integration a route runs locally, bounded by its timeout and behind
 * its authorizer; or a 501 naming what is not emulated.
 */
export function integrationFor(route: RouteModel, ctx: IntegrationContext): RouteIntegration {
  const integration = route.integration;
  if (!integration) return missing(ctx, route, 'route without an integration');
  const inner = innerIntegration(route, integration, ctx);
  if (inner instanceof NotImplementedIntegration) return inner;
  return authorized(route, new TimeLimitedIntegration(inner, integration.timeoutMs, ctx.log), ctx);
}

function authorized(route: RouteModel, integration: RouteIntegration, ctx: IntegrationContext): RouteIntegration {
  const authorizer = route.authorizer;
  switch (route.authorizationType) {
    case 'NONE':
      return integration;
    case 'JWT':
      if (!authorizer?.jwt) return missing(ctx, route, 'JWT authorization without a JWT authorizer the runner could resolve');
      return new AuthorizedIntegration(new JwtAuthorizer({
        issuer: authorizer.jwt.issuer,
        audience: authorizer.jwt.audience,
        identitySource: authorizer.identitySource,
        scopes: route.authorizationScopes,
        jwks: ctx.jwks,
      }), integration);
    case 'CUSTOM':
      if (!authorizer?.functionArn || !ctx.pool.has(authorizer.functionArn)) {
        return missing(ctx, route, `Lambda authorizer ${authorizer?.name ?? ''} whose function the runner cannot run`.replace('  ', ' '));
      }
      return new AuthorizedIntegration(sharedLambdaAuthorizer(authorizer, ctx), integration);
    case 'AWS_IAM':
      return new AuthorizedIntegration(new IamAuthorizer({
        keys: [RUNNER_SIGNING_KEY], region: ctx.region, accountId: ctx.accountId, clock: ctx.clock, log: ctx.log,
      }), integration);
    default:
      return missing(ctx, route, `${route.authorizationType} authorization`);
  }
}

/**
 * One LambdaAuthorizer per authorizer, shared by its routes: its cache is
 * keyed by identity sources alone, so a result cached on one route serves
 * the others, as on AWS.
 */
function sharedLambdaAuthorizer(authorizer: AuthorizerModel, ctx: IntegrationContext): LambdaAuthorizer {
  const existing = ctx.lambdaAuthorizers.get(authorizer.id);
  if (existing) return existing;
  const made = new LambdaAuthorizer(ctx.pool, {
    functionArn: authorizer.functionArn!,
    payloadFormatVersion: authorizer.payloadFormatVersion,
    enableSimpleResponses: authorizer.enableSimpleResponses,
    identitySource: authorizer.identitySource,
    region: ctx.region,
    resultTtlSeconds: authorizer.resultTtlSeconds,
    limitMs: ctx.authorizerLimitMs,
    clock: ctx.clock,
  }, ctx.log);
  ctx.lambdaAuthorizers.set(authorizer.id, made);
  return made;
}

function innerIntegration(route: RouteModel, integration: IntegrationModel, ctx: IntegrationContext): RouteIntegration {
  const p = integration.properties;
  if (integration.functionArn) {
    if (ctx.pool.has(integration.functionArn)) {
      const routePath = route.routeKey === '$default' ? '$default' : route.routeKey.split(/\s+/)[1];
      return new LambdaProxyIntegration(ctx.pool, integration.functionArn, integration.payloadFormatVersion, routePath, ctx.log);
    }
    return missing(ctx, route, whyNotInvocable(ctx.functions, integration.functionArn));
  }
  if (integration.type === 'AWS_PROXY' && isStepFunctionsSubtype(integration.subtype)) {
    return new StepFunctionsIntegration(ctx.stepFunctions, integration.subtype!, p.RequestParameters ?? {});
  }
  if (integration.subtype) return missing(ctx, route, `integration subtype ${integration.subtype}`);
  if (integration.type !== 'HTTP_PROXY') return missing(ctx, route, `integration type ${integration.type}`);
  const mapping = {
    requestParameters: p.RequestParameters ?? {},
    responseParameters: p.ResponseParameters ?? {},
    method: String(p.IntegrationMethod ?? 'ANY').toUpperCase(),
    timeoutMs: integration.timeoutMs,
  };
  if (integration.connectionType !== 'VPC_LINK') {
    if (!integration.uri) return missing(ctx, route, 'HTTP integration whose URI the runner could not resolve');
    return new HttpProxyIntegration({ kind: 'url', uri: integration.uri }, mapping, ctx.log);
  }
  const baseUrl = ctx.targets[integration.logicalId] ?? ctx.targets['*'];
  if (baseUrl) return new HttpProxyIntegration({ kind: 'private', baseUrl }, mapping, ctx.log);
  const warning = `${route.routeKey} is a private integration (${integration.logicalId}, through a VPC link): it answers 503 until you give `
    + `--target URL (every private integration) or --target ${integration.logicalId}=URL`;
  // Routes that share the integration share one warning.
  ctx.report.warnOnce(`private-integration:${integration.logicalId}`, warning);
  return { handle: async () => messageResponse(503, 'Service Unavailable') };
}

function missing(ctx: IntegrationContext, route: RouteModel, what: string): NotImplementedIntegration {
  ctx.report.notEmulated(what, route.routeKey);
  return new NotImplementedIntegration(what);
}
