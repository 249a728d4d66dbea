import { JsonWebKey } from 'node:crypto';
import { AssemblyStack } from '../assembly/cloud-assembly';
import { UnresolvedValue } from '../assembly/intrinsics';
import { FunctionPool } from '../functions/function-pool';
import { WebSocketApiServer } from '../http/websocket/websocket-api-server';
import { FunctionModel } from '../model/functions';
import { NotEmulated } from '../model/not-emulated';
import { StateMachineModel } from '../model/state-machines';
import { TableCreation } from '../services/dynamodb';
import { StepFunctionsService } from '../services/step-functions';

/** What to serve and how. */
export interface ServeOptions {
  /** A CDK app folder (synthesized first) or a cloud assembly (cdk.out). */
  readonly source: string;
  /** Where an app folder is synthesized. @default cdk.json's `output`, else `<app>/cdk.out`, as the CDK CLI writes it */
  readonly synthOutdir?: string;
  /** The stack to serve, by name or artifact id; required when there are several. */
  readonly stack?: string;
  /** The first HTTP API's port; the next APIs take the next free ports. @default 3000 */
  readonly port?: number;
  /**
   * Keep DynamoDB data in this folder across restarts; created when missing.
   * A file, a folder that cannot be written, or one another runner holds
   * open is a `UsageError`. @default in memory
   */
  readonly persistDir?: string;
  /**
   * Execution environments of all functions together; past it, invocations
   * wait in arrival order. A function's `ReservedConcurrentExecutions` is
   * enforced below it, as on Lambda. @default 16
   */
  readonly maxConcurrency?: number;
  /**
   * Where private integrations (VPC link) send requests: a base URL by
   * integration logical id, or under `*` for all of them.
   * @default - none: private integrations answer 503
   */
  readonly targets?: Record<string, string>;
  /**
   * The keys JWT authorizers verify token signatures with (the issuer's JWKS).
   * @default - signatures are not verified; claims and scopes still are
   */
  readonly jwks?: { readonly keys: JsonWebKey[] };
  /** WebSocket connections idle this long are closed. @default 10 minutes, as on AWS */
  readonly wsIdleTimeoutMs?: number;
  /** WebSocket connections are closed at this age. @default 2 hours, as on AWS */
  readonly wsMaxLifetimeMs?: number;
  /** The clock in ms of throttle buckets, authorizer caches and signature dates (tests pass a fake one). @default Date.now */
  readonly clock?: () => number;
  /**
   * How long a Lambda authorizer may take before the request gets 500
   * (tests shorten it). @default 10 seconds, HTTP APIs' quota
   */
  readonly authorizerLimitMs?: number;
  /** Where progress, request lines and handler output go. @default console.log */
  readonly log?: (line: string) => void;
  /**
   * How long each startup step (all but the app's synth) may take; past it,
   * startup stops what it started and throws `StartupStepTimeout`.
   * @default 30 seconds
   */
  readonly startupStepLimitMs?: number;
  /**
   * How long a function's Init phase may take before it is stopped and
   * retried with the function's timeout (tests shorten it).
   * @default 10 seconds, as on Lambda
   */
  readonly initLimitMs?: number;
  /**
   * Aborts the startup (the synth included): what started is stopped and
   * `serveStack` rejects. After startup, call `stop()` instead.
   * @default - startup runs to its end
   */
  readonly signal?: AbortSignal;
}

/** One served API (HTTP; WebSocket ones add their server). */
export interface ServedApi {
  readonly logicalId: string;
  readonly name: string;
  readonly id: string;
  readonly port: number;
  /** By stage: `http://127.0.0.1:<port>` plus `/<stage>` for each named stage, or nothing for `$default`. */
  readonly stageUrls: Record<string, string>;
  readonly routeKeys: string[];
  /** The routes with `AWS_IAM` authorization: requests to them must be signed. */
  readonly signedRouteKeys: string[];
}

/** One served WebSocket API: its `stageUrls` are `ws://127.0.0.1:<port>/<stage>`. */
export interface ServedWebSocketApi extends ServedApi {
  /** The server: open connection ids, and the test-only drop without `$disconnect`. */
  readonly server: WebSocketApiServer;
}

/** A running local copy of a stack. */
export interface RunningStack {
  /** The stack served (the first, when several are). */
  readonly stack: AssemblyStack;
  /** Every stack served, in the order given. */
  readonly stacks: AssemblyStack[];
  /** The region the stack is served in: its own, or the runner's placeholder when the app sets none. */
  readonly region: string;
  readonly apis: ServedApi[];
  readonly webSocketApis: ServedWebSocketApi[];
  readonly tables: TableCreation[];
  readonly dynamoDbEndpoint: string;
  readonly functions: FunctionModel[];
  readonly stateMachines: StateMachineModel[];
  /** The embedded Step Functions endpoint (`AWS_ENDPOINT_URL_SFN` of the functions). */
  readonly stepFunctionsEndpoint: string;
  readonly stepFunctions: StepFunctionsService;
  /**
   * The certificate of the run's own certificate authority (PEM), which
   * vouches for `https://` and `wss://` on the API ports; the functions
   * trust it. `curl --cacert FILE`, `wscat --ca FILE`.
   */
  readonly caFile: string;
  readonly notEmulated: NotEmulated[];
  readonly unresolved: UnresolvedValue[];
  /** Assembly and template warnings (manifest version, APIs without a stage). */
  readonly warnings: string[];
  readonly pool: FunctionPool;
  /**
   * Stops everything, in order: servers, running executions (both types,
   * in-flight StartSyncExecutions too), the functions' environments, then the embedded services.
   * Idempotent.
   */
  stop(): Promise<void>;
}
