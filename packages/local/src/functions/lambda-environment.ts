import { FunctionModel } from '../model/functions';

/** The credentials every worker gets: the embedded services accept any. */
export const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIALOCALRUNNER00000', AWS_SECRET_ACCESS_KEY: 'local-runner-secret', AWS_SESSION_TOKEN: 'local-runner-session' };

/** Where the code runs, for `LAMBDA_TASK_ROOT`. */
export interface WorkerPlacement {
  readonly codeDir: string;
  readonly region: string;
  /** `AWS_ENDPOINT_URL_<SERVICE>` values of the embedded services (DYNAMODB, SFN, ...). */
  readonly endpoints: Record<string, string>;
  /** `AWS_ENDPOINT_URL`, for every service without its own. */
  readonly fallbackEndpoint?: string;
  /** Where the runtime's modules (the AWS SDK) are, for `NODE_PATH`. */
  readonly runtimeModules: string;
}

/**
 * A worker's whole `process.env`, as Lambda builds it
 * (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime):
 * the function's own variables, then the reserved ones, which a function
 * cannot override on AWS either. Nothing of the runner's own environment
 * leaks in: a function sees what it would see on Lambda.
 */
export function lambdaEnvironment(fn: FunctionModel, placement: WorkerPlacement): Record<string, string> {
  const endpoints: Record<string, string> = Object.fromEntries(Object.entries(placement.endpoints).map(([service, url]) => [`AWS_ENDPOINT_URL_${service}`, url]));
  if (placement.fallbackEndpoint) endpoints.AWS_ENDPOINT_URL = placement.fallbackEndpoint;
  return {
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    PATH: '/usr/local/bin:/usr/bin/:/bin',
    ...fn.environment,
    ...endpoints,
    _HANDLER: fn.handler,
    AWS_REGION: placement.region,
    AWS_DEFAULT_REGION: placement.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: fn.name,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroupName,
    LAMBDA_TASK_ROOT: placement.codeDir,
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    NODE_PATH: placement.runtimeModules,
    ...DUMMY_CREDENTIALS,
  };
}
