import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { FunctionModel } from '../model/functions';

/** The credentials every environment gets: the embedded services accept any, and AWS none of them. */
export const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIALOCALRUNNER00000', AWS_SECRET_ACCESS_KEY: 'local-runner-secret', AWS_SESSION_TOKEN: 'local-runner-session' };

/** The one key pair `AWS_IAM` routes accept: the functions' own, so a handler's signed call to its API passes, as with its role on AWS. */
export const RUNNER_SIGNING_KEY = {
  accessKeyId: DUMMY_CREDENTIALS.AWS_ACCESS_KEY_ID,
  secretAccessKey: DUMMY_CREDENTIALS.AWS_SECRET_ACCESS_KEY,
  sessionToken: DUMMY_CREDENTIALS.AWS_SESSION_TOKEN,
};

/** Where an environment runs and what it connects to. */
export interface EnvironmentPlacement {
  /** The code folder: `LAMBDA_TASK_ROOT`. */
  readonly codeDir: string;
  /** The runtime's `node_modules` (the SDK it supplies; see layOutRuntimeModules). */
  readonly runtimeModules: string;
  /** The version the environment runs: `$LATEST` or a version number. @default '$LATEST' */
  readonly version?: string;
  readonly region: string;
  /** `AWS_ENDPOINT_URL_<SERVICE>` values of the embedded services (DYNAMODB, SFN, ...). */
  readonly endpoints: Record<string, string>;
  /** `AWS_ENDPOINT_URL`, for every service without its own. */
  readonly fallbackEndpoint?: string;
  /** An empty folder of the runner's: `HOME`, so that nothing of the user's home is read. */
  readonly home: string;
  /** The runner's CA certificate (`NODE_EXTRA_CA_CERTS`), so that `https://` links to the local APIs verify. @default - none */
  readonly trustedCaFile?: string;
}

/**
 * An environment's whole environment, as Lambda builds it
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime):
 * the unreserved defaults (`TZ`, `LANG`, `PATH`, which a function may set),
 * the function's own variables, then the reserved ones, which a function
 * cannot override on AWS either. Nothing of the runner's own environment
 * leaks in: a function sees what it would see on Lambda.
 *
 * Then what keeps the AWS SDK on loopback whatever the user's machine holds
 * (the SDK reads these: https://docs.aws.amazon.com/sdkref/latest/guide/file-location.html,
 * https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html):
 * shared config and credentials files that do not exist in an empty `HOME`,
 * so no profile, `ignore_configured_endpoint_urls`, FIPS or dual-stack
 * setting of the developer's applies; endpoint URLs honoured; FIPS and
 * dual-stack off (the SDK refuses either with a custom endpoint); dummy
 * credentials, with no profile to make the SDK look past them; the runner's
 * certificate authority trusted (`NODE_EXTRA_CA_CERTS`, which Node.js reads
 * once, at process start), so that `https://${domainName}` reaches the local
 * API as it reaches API Gateway. Lambda sets none of these; they
 * are the runner's, and a function cannot override them.
 */
export function lambdaEnvironment(fn: FunctionModel, placement: EnvironmentPlacement): Record<string, string> {
  const endpoints: Record<string, string> = Object.fromEntries(Object.entries(placement.endpoints).map(([service, url]) => [`AWS_ENDPOINT_URL_${service}`, url]));
  if (placement.fallbackEndpoint) endpoints.AWS_ENDPOINT_URL = placement.fallbackEndpoint;
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
  const version = placement.version ?? '$LATEST';
  const logging: Record<string, string> = fn.applicationLogLevel ? { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: fn.applicationLogLevel } : {};
  // A profile makes the SDK skip the environment's credentials for a shared file that does not exist here.
  const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _defaultProfile, ...own } = fn.environment;
  return {
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    // Lambda's PATH starts with the runtime's own bin folder (/var/lang/bin); here, the runner's Node.js.
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin/:/bin:/opt/bin`,
    ...own,
    ...endpoints,
    NODE_PATH: nodePath(fn, placement),
    _HANDLER: fn.handler,
    AWS_REGION: placement.region,
    AWS_DEFAULT_REGION: placement.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: version,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: `${date}/[${version}]${randomBytes(16).toString('hex')}`,
    ...logging,
    LAMBDA_TASK_ROOT: placement.codeDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    ...DUMMY_CREDENTIALS,
    HOME: placement.home,
    AWS_CONFIG_FILE: join(placement.home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(placement.home, '.aws', 'credentials'),
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false',
    AWS_USE_FIPS_ENDPOINT: 'false',
    AWS_USE_DUALSTACK_ENDPOINT: 'false',
    AWS_EC2_METADATA_DISABLED: 'true',
    ...(placement.trustedCaFile ? { NODE_EXTRA_CA_CERTS: placement.trustedCaFile } : {}),
  };
}

/**
 * Where Lambda's Node.js runtime looks for a bare import, in its order
 * (https://docs.aws.amazon.com/lambda/latest/dg/packaging-layers.html#packaging-layers-paths,
 * and `NODE_PATH` under "Defined runtime environment variables"):
 * the layers' `nodejs/node<major>/node_modules` and `nodejs/node_modules`
 * (Lambda's `/opt`, here the function's merged layers), the runtime's own
 * modules, then the code folder itself. A function's own `NODE_PATH` comes first.
 */
function nodePath(fn: FunctionModel, placement: EnvironmentPlacement): string {
  const major = /^nodejs(\d+)/.exec(fn.runtime)?.[1];
  const layers = fn.optDir ? [...(major ? [join(fn.optDir, 'nodejs', `node${major}`, 'node_modules')] : []), join(fn.optDir, 'nodejs', 'node_modules')] : [];
  return [fn.environment.NODE_PATH, ...layers, placement.runtimeModules, placement.codeDir].filter(Boolean).join(':');
}
