import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { CorsDefaults } from './cors';
import { DefaultHttpStage } from './http-stage';
import { httpDefaultRouteOf } from '../private/children';
import { configError } from '../private/errors';
import { acknowledgeNagRule } from '../private/nag';

/**
 * The settings every pattern's HTTP API takes, with the same defaults everywhere.
 */
export interface PatternHttpApiProps {
  /**
   * Browser origins allowed by CORS (e.g. `https://app.example.com`).
   * @default - none: browsers on other origins are refused
   */
  readonly corsAllowOrigins?: string[];
  /**
   * An authorizer applied to every route.
   * @default - none: anyone with the URL can call the API
   */
  readonly authorizer?: apigwv2.IHttpRouteAuthorizer;
  /**
   * Default route throttling of the stage.
   * @default - StageThrottle defaults: 100 requests per second, bursts of 200
   */
  readonly throttle?: apigwv2.ThrottleSettings;
  /**
   * Retention of the API's access log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly accessLogRetention?: logs.RetentionDays;
  /**
   * A custom domain name for the API (give `certificate` too).
   * @default - the execute-api URL only
   */
  readonly domainName?: string;
  /**
   * The ACM certificate of `domainName`, in the stack's region.
   * @default - none
   */
  readonly certificate?: acm.ICertificate;
}

/**
 * The prop of a pattern that can add its routes to an API of yours.
 */
export interface ExistingHttpApiProps {
  /**
   * An HTTP API of yours to add the pattern's routes to, instead of a new
   * API. Its stage, CORS, custom domain, throttling and default authorizer
   * stay yours: passing `corsAllowOrigins`, `authorizer`, `throttle`,
   * `accessLogRetention`, `domainName` or `certificate` as well fails at
   * synth. The routes get the API's default authorizer, if it has one; a
   * route key the API already has fails at synth.
   * @default - a new API with its own stage
   */
  readonly existingApi?: apigwv2.HttpApi;
  /**
   * The stage of `existingApi` whose 5xx rate and latency the pattern's
   * alarms watch (the pattern does not know which of your stages serves
   * it). Only with `existingApi`.
   * @default - the API's default stage (`$default`), if it has one; else no stage alarms (the functions, tables and machines are still watched)
   */
  readonly existingApiStageName?: string;
}

/**
 * What PatternHttpApi.create needs besides the pattern's props.
 */
export interface PatternHttpApiOptions extends PatternHttpApiProps, ExistingHttpApiProps {
  /** The construct class creating the API, named in error messages. */
  readonly owner: string;
  /** The methods CORS allows when origins are given. */
  readonly corsAllowMethods: apigwv2.CorsHttpMethod[];
  /**
   * The integration of the `$default` route.
   * @default - no default route
   */
  readonly defaultIntegration?: apigwv2.HttpRouteIntegration;
}

/**
 * The parts PatternHttpApi.create made.
 */
export interface PatternHttpApiParts {
  /** The HTTP API. */
  readonly api: apigwv2.HttpApi;
  /** Its stage, with access logs, throttling and the URL output; none with `existingApi`. */
  readonly stage?: DefaultHttpStage;
  /** The custom domain, when one was given. */
  readonly domain?: apigwv2.DomainName;
  /**
   * The construct the pattern's routes belong to, when the API is someone
   * else's (`existingApi`): routes are created there rather than under the API.
   * @default - routes are created under the API
   */
  readonly routeScope?: Construct;
  /**
   * The class named in errors about the routes.
   * @default 'PatternHttpApi'
   */
  readonly owner?: string;
  /**
   * The stage the pattern's alarms watch: its own, or `existingApiStageName`
   * or the default stage of an existing API.
   * @default - none: no stage alarms
   */
  readonly watchedStageName?: string;
}

/**
 * The HTTP API every pattern fronts its backend with: CORS closed unless
 * origins are named, the authorizer on every route, a DefaultHttpStage, an
 * optional custom domain. Constructs go straight into `scope` (ids `Api`,
 * `Domain`, `Stage`). Given `existingApi`, creates nothing and hands back
 * that API, after checking that no prop of the API's own was passed.
 */
export class PatternHttpApi {
  /** Creates the API, its stage and the optional domain in `scope`. */
  public static create(scope: Construct, options: PatternHttpApiOptions): PatternHttpApiParts {
    if (options.existingApi) {
      PatternHttpApi.checkNoApiProps(scope, options);
      const watchedStageName = options.existingApiStageName ?? options.existingApi.defaultStage?.stageName;
      return { api: options.existingApi, routeScope: scope, owner: options.owner, watchedStageName };
    }
    if (options.existingApiStageName !== undefined) {
      configError(scope, 'ExistingApiConflict', options.owner, 'existingApiStageName', 'names a stage of existingApi, and no existingApi was given',
        'give existingApi too, or drop existingApiStageName (the stage this construct creates is watched)');
    }
    if (Boolean(options.domainName) !== Boolean(options.certificate)) {
      configError(scope, 'DomainNeedsCertificate', options.owner, options.domainName ? 'certificate' : 'domainName',
        'a custom domain needs both domainName and certificate', 'give both, or neither');
    }
    const api = new apigwv2.HttpApi(scope, 'Api', {
      createDefaultStage: false,
      corsPreflight: CorsDefaults.restrictive(options.corsAllowOrigins ?? [], options.corsAllowMethods),
      defaultIntegration: options.defaultIntegration,
      defaultAuthorizer: options.authorizer,
    });
    const domain = options.domainName && options.certificate
      ? new apigwv2.DomainName(scope, 'Domain', { domainName: options.domainName, certificate: options.certificate })
      : undefined;
    const stage = new DefaultHttpStage(scope, 'Stage', {
      httpApi: api,
      throttle: options.throttle,
      accessLogRetention: options.accessLogRetention,
      domainMapping: domain ? { domainName: domain } : undefined,
    });
    if (options.defaultIntegration && !options.authorizer) {
      PatternHttpApi.acknowledgeOpenRoute(httpDefaultRouteOf(api));
    }
    return { api, stage, domain, owner: options.owner, watchedStageName: stage.stage.stageName };
  }

  /**
   * Adds one route (the API's default authorizer applies); without an
   * authorizer, records why the open route is intended (cdk-nag APIG4).
   */
  public static addRoute(
    parts: PatternHttpApiParts,
    path: string,
    method: apigwv2.HttpMethod,
    integration: apigwv2.HttpRouteIntegration,
  ): apigwv2.HttpRoute {
    const routeKey = `${method} ${path}`;
    const owner = parts.owner ?? 'PatternHttpApi';
    // Routes of one API may live anywhere in the app (another pattern's scope, another stack): look everywhere.
    const taken = parts.api.node.root.node.findAll()
      .some((c) => c instanceof apigwv2.CfnRoute && c.apiId === parts.api.apiId && c.routeKey === routeKey);
    if (taken) {
      configError(parts.routeScope ?? parts.api, 'RouteExists', owner, 'existingApi', `the API already has a route ${routeKey}`,
        'give the pattern an API without that route (e.g. a separate one), or remove your route');
    }
    // On a caller's API, possibly in another stack, the route and its integration (with the function permission
    // or invoke role) are created in the pattern's scope, so that references run one way: pattern -> API.
    const route = parts.routeScope
      ? new apigwv2.HttpRoute(parts.routeScope, `${method}${path.replace(/\//g, '--')}`, {
        httpApi: parts.api,
        routeKey: apigwv2.HttpRouteKey.with(path, method),
        integration,
        authorizer: parts.api.defaultAuthorizer,
        authorizationScopes: parts.api.defaultAuthorizationScopes,
      })
      : parts.api.addRoutes({ path, methods: [method], integration })[0];
    if (!parts.api.defaultAuthorizer) PatternHttpApi.acknowledgeOpenRoute(route);
    return route;
  }

  /** The stage, CORS, domain, throttle and authorizer of an existing API are its owner's to set. */
  private static checkNoApiProps(scope: Construct, options: PatternHttpApiOptions) {
    const apiProps: (keyof PatternHttpApiProps)[] = ['corsAllowOrigins', 'authorizer', 'throttle', 'accessLogRetention', 'domainName', 'certificate'];
    const given = apiProps.find((prop) => options[prop] !== undefined);
    if (given) {
      configError(scope, 'ExistingApiConflict', options.owner, given,
        'configures the API, and existingApi was given: that API\'s stage, CORS, domain, throttling and authorizer are set where it is created',
        `set it on your HttpApi (or its stage) instead, or drop existingApi to let ${options.owner} create the API`);
    }
  }

  private static acknowledgeOpenRoute(route: IConstruct) {
    acknowledgeNagRule(route, 'AwsSolutions-APIG4', 'No authorizer was given (prop `authorizer`): the deployer chose an open API');
  }

  private constructor() {}
}
