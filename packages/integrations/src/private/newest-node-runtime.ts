import * as lambda from 'aws-cdk-lib/aws-lambda';

/** The Node.js version the pattern handlers are bundled for (scripts/bundle-handlers.mjs, esbuild `target`). */
export const BUNDLE_NODE_MAJOR = 24;

/** The major version of a `nodejs<N>.x` runtime, or undefined for another runtime. */
export function nodeMajor(runtime: lambda.Runtime): number | undefined {
  const match = runtime.family === lambda.RuntimeFamily.NODEJS ? /^nodejs(\d+)\.x$/.exec(runtime.name) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * The newest `nodejs<N>.x` runtime the aws-cdk-lib in use lists: each
 * aws-cdk-lib release adds Lambda's new runtimes, and cdk-nag's
 * AwsSolutions-L1 flags a function on anything older than the newest its
 * family has there. From the user's own aws-cdk-lib.
 */
function newestNodeRuntime(): lambda.Runtime {
  // A variable runtime (NODEJS_LATEST) names a version its fixed twin names too: the fixed one is taken.
  const nodeRuntimes = lambda.Runtime.ALL.filter((r) => nodeMajor(r) !== undefined && !r.isVariable);
  return nodeRuntimes.reduce((newest, r) => (nodeMajor(r)! > nodeMajor(newest)! ? r : newest));
}

/**
 * Read once, when this module loads: a runtime an app defines later
 * (`new Runtime('nodejs28.x', ...)` joins `Runtime.ALL`) does not change
 * the default of functions built after it.
 */
export const NEWEST_NODE_RUNTIME = newestNodeRuntime();
