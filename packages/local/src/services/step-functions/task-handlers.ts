/** What a Lambda task gets back from the runner's execution environments. */
export type TaskInvokeOutcome =
  | { readonly ok: true; readonly payload: unknown; readonly executedVersion?: string }
  | { readonly ok: false; readonly errorType: string; readonly errorMessage: string; readonly throttled?: boolean; readonly unhandled?: boolean };

/**
 * How the service reaches Lambda functions. The runner passes its function
 * pool, which sits in a layer above the services.
 */
export interface FunctionInvoker {
  /** The ARN of a local function with this name or ARN, keeping a version or alias qualifier that exists, if there is one. */
  resolve(nameOrArn: string): string | undefined;
  invoke(arn: string, event: unknown): Promise<TaskInvokeOutcome>;
}

/** A Task state the runner cannot run, by state name. */
export interface UnsupportedTask {
  readonly state: string;
  readonly resource: string;
}

type LocalHandler = (input: any) => Promise<unknown>;

/** An error a state's Retry and Catch match by name, as Step Functions reports it. */
class TaskError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

const OPTIMIZED_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:[^:]+(:[^:]+)?$/;

/**
 * Local handlers for every Task state of a definition (nested Map and
 * Parallel states included), keyed by state name as aws-local-stepfunctions
 * wants them. Two resources run locally: a function ARN (the legacy
 * form, whose result is the function's payload) and the optimized
 * `arn:aws:states:::lambda:invoke` (whose result wraps it in `Payload`,
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
 * Any other Task fails with the error `NotEmulated`, the runner's own name.
 */
export function taskHandlers(definition: Record<string, any>, functions: FunctionInvoker): {
  handlers: Record<string, LocalHandler>;
  unsupported: UnsupportedTask[];
} {
  const handlers: Record<string, LocalHandler> = {};
  const unsupported: UnsupportedTask[] = [];
  for (const [state, spec] of taskStates(definition)) {
    const resource = String(spec.Resource ?? '');
    if (FUNCTION_ARN.test(resource) && functions.resolve(resource)) {
      handlers[state] = async (input) => (await invoke(functions, functions.resolve(resource)!, input)).payload;
    } else if (OPTIMIZED_INVOKE.test(resource)) {
      handlers[state] = async (input) => {
        // Lambda's Invoke takes the qualifier in the name or ARN, or as `Qualifier`.
        const name = String(input?.FunctionName ?? '') + (input?.Qualifier ? `:${input.Qualifier}` : '');
        const arn = functions.resolve(name);
        if (!arn) throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${name}`);
        const { payload, executedVersion } = await invoke(functions, arn, input?.Payload ?? {});
        return { ExecutedVersion: executedVersion, Payload: payload, StatusCode: 200 };
      };
    } else {
      unsupported.push({ state, resource });
      handlers[state] = async () => {
        throw new TaskError('NotEmulated', `the local runner does not run the Task resource ${resource}`);
      };
    }
  }
  return { handlers, unsupported };
}

/**
 * A function error becomes the state's error as Step Functions reports it:
 * the function's `errorType` as the error name, and as cause the JSON of
 * `errorMessage`, `errorType` and `trace`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
 * Lambda refusing the invocation (its reserved concurrency in use) is
 * `Lambda.TooManyRequestsException`, and an error the runtime never
 * reported (a timeout, out of memory, a crash) is `Lambda.Unknown`
 * (https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html).
 */
async function invoke(functions: FunctionInvoker, arn: string, event: unknown): Promise<{ payload: unknown; executedVersion: string }> {
  const outcome = await functions.invoke(arn, event);
  if (outcome.ok) return { payload: outcome.payload ?? null, executedVersion: outcome.executedVersion ?? '$LATEST' };
  if (outcome.throttled) throw new TaskError(`Lambda.${outcome.errorType}`, outcome.errorMessage);
  if (outcome.unhandled) throw new TaskError('Lambda.Unknown', `${outcome.errorType}: ${outcome.errorMessage}`);
  throw new TaskError(outcome.errorType, JSON.stringify({ errorMessage: outcome.errorMessage, errorType: outcome.errorType, trace: [] }));
}

function taskStates(definition: Record<string, any>): Array<[string, Record<string, any>]> {
  const found: Array<[string, Record<string, any>]> = [];
  for (const [name, state] of Object.entries<any>(definition?.States ?? {})) {
    if (state?.Type === 'Task') found.push([name, state]);
    for (const nested of [...(state?.Branches ?? []), state?.ItemProcessor, state?.Iterator]) {
      if (nested) found.push(...taskStates(nested));
    }
  }
  return found;
}
