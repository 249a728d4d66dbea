import './polyfill';
import { randomUUID } from 'node:crypto';
import { SfnError } from './sfn-error';
import { FunctionInvoker, taskHandlers, UnsupportedTask } from './task-handlers';
import { StateMachineModel } from '../../model/state-machines';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const asl = require('aws-local-stepfunctions');

/** Execution statuses the runner produces (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html). */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** StartExecution and StartSyncExecution parameters, as the API names them. */
export interface StartParameters {
  readonly stateMachineArn?: string;
  readonly name?: string;
  readonly input?: string;
  readonly traceHeader?: string;
}

/** StopExecution parameters. */
export interface StopParameters {
  readonly executionArn?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** One execution, as DescribeExecution and StartSyncExecution report it. */
export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: ExecutionStatus;
  readonly startDate: Date;
  stopDate?: Date;
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
}

/** What the service needs from the runner. */
export interface StepFunctionsOptions {
  readonly region: string;
  readonly account: string;
  readonly functions: FunctionInvoker;
  /** Where execution results go. @default console.log */
  readonly log?: (line: string) => void;
}

interface LocalMachine {
  readonly model: StateMachineModel;
  readonly interpreter: any;
  readonly handlers: Record<string, (input: unknown) => Promise<unknown>>;
}

interface Running {
  readonly record: ExecutionRecord;
  readonly abort: () => void;
  readonly done: Promise<void>;
}

/** Step Functions' limit on an execution's input (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html). */
const MAX_INPUT_BYTES = 262_144;
/** Finished executions kept for DescribeExecution; the oldest go first. */
const KEPT_EXECUTIONS = 10_000;
// Names: 1-80 characters without whitespace, brackets, wildcards, these punctuation marks or control characters
// (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html, name).
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/**
 * The state machines of a stack, run by aws-local-stepfunctions with their
 * Lambda tasks in the runner's execution environments. STANDARD executions run in
 * the background and can be described and stopped; EXPRESS ones answer
 * StartSyncExecution and, as on AWS, are not kept for DescribeExecution
 * (https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html).
 */
export class StepFunctionsService {
  /** Task states of the stack's machines that the runner cannot run. */
  public readonly unsupportedTasks: Array<UnsupportedTask & { readonly machine: string }> = [];
  /** Machines the interpreter refused, by logical id, with its reason. */
  public readonly rejected: Array<{ readonly machine: string; readonly why: string }> = [];
  private readonly notRun = new Map<string, string>();
  private readonly machines = new Map<string, LocalMachine>();
  private readonly executions = new Map<string, Running>();
  /** Every execution still running, of both types, StartSyncExecution's included: `stop()` ends them all. */
  private readonly active = new Set<Running>();
  private stopped = false;
  private readonly log: (line: string) => void;

  constructor(models: StateMachineModel[], private readonly options: StepFunctionsOptions) {
    this.log = options.log ?? ((line) => console.log(line));
    for (const model of models) {
      if (model.notEmulated || !model.definition) {
        this.notRun.set(model.arn, model.notEmulated ?? 'a definition the runner could not read');
        continue;
      }
      let interpreter: unknown;
      try {
        // The template's ARNs are placeholders locally; the definition itself is checked.
        interpreter = new asl.StateMachine(model.definition, { validationOptions: { checkArn: false } });
      } catch (error) {
        const why = `a definition the interpreter rejects (${(error as Error).message.split('\n')[0]})`;
        this.rejected.push({ machine: model.logicalId, why });
        this.notRun.set(model.arn, why);
        continue;
      }
      const { handlers, unsupported } = taskHandlers(model.definition, options.functions);
      unsupported.forEach((u) => this.unsupportedTasks.push({ ...u, machine: model.logicalId }));
      this.machines.set(model.arn, { model, interpreter, handlers });
    }
  }

  /** Whether the service runs the machine with this ARN. */
  public has(stateMachineArn: string): boolean {
    return this.machines.has(stateMachineArn);
  }

  /** StartExecution: starts in the background, answers at once. */
  public startExecution(params: StartParameters): { executionArn: string; startDate: Date } {
    const machine = this.machine(params.stateMachineArn);
    const name = this.executionName(params.name);
    const input = executionInput(params.input);
    const executionArn = this.executionArn(machine.model, name);
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Same name and input while running: the original answer; otherwise a conflict
      // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
      if (existing.record.status === 'RUNNING' && existing.record.input === input) {
        return { executionArn, startDate: existing.record.startDate };
      }
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const running = this.run(machine, executionArn, name, input);
    if (machine.model.type === 'STANDARD') this.keep(running);
    return { executionArn, startDate: running.record.startDate };
  }

  /** StartSyncExecution: EXPRESS machines only; answers when the execution ends. */
  public async startSyncExecution(params: StartParameters): Promise<ExecutionRecord> {
    const machine = this.machine(params.stateMachineArn);
    if (machine.model.type !== 'EXPRESS') {
      throw new SfnError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    }
    const name = this.executionName(params.name);
    const running = this.run(machine, this.executionArn(machine.model, name), name, executionInput(params.input));
    await running.done;
    return running.record;
  }

  /** StopExecution: a running STANDARD execution ends ABORTED with the given error and cause. */
  public stopExecution(params: StopParameters): { stopDate: Date } {
    const running = this.execution(params.executionArn);
    if (running.record.status === 'RUNNING') {
      running.record.status = 'ABORTED';
      running.record.stopDate = new Date();
      running.record.error = params.error;
      running.record.cause = params.cause;
      running.abort();
      this.log(`Step Functions: ${running.record.executionArn} ABORTED`);
    }
    return { stopDate: running.record.stopDate! };
  }

  /** DescribeExecution of a STANDARD execution. */
  public describeExecution(executionArn: string | undefined): ExecutionRecord {
    return this.execution(executionArn).record;
  }

  /**
   * Aborts every running execution, STANDARD and EXPRESS, and ends every
   * in-flight StartSyncExecution (ABORTED); waits until they have settled.
   * Later starts are refused.
   */
  public async stop(): Promise<void> {
    this.stopped = true;
    const active = [...this.active];
    for (const running of active) {
      Object.assign(running.record, { status: 'ABORTED', stopDate: new Date() });
      running.abort();
      this.log(`Step Functions: ${running.record.executionArn} ABORTED (the runner stopped)`);
    }
    await Promise.all(active.map((r) => r.done));
  }

  private machine(arn: string | undefined): LocalMachine {
    if (!arn) throw new SfnError('ValidationException', "1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null");
    if (!/^arn:aws[a-z-]*:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn)) throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
    const machine = this.machines.get(arn);
    const notRun = this.notRun.get(arn);
    if (notRun) throw new SfnError('NotEmulated', `the local runner does not run ${arn}: ${notRun}`, 501);
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  private execution(arn: string | undefined): Running {
    if (!arn) throw new SfnError('ValidationException', "1 validation error detected: Value null at 'executionArn' failed to satisfy constraint: Member must not be null");
    if (/^arn:aws[a-z-]*:states:[^:]+:\d{12}:express:/.test(arn)) {
      // Express executions are not recorded by Step Functions; only CloudWatch Logs has them.
      throw new SfnError('InvalidArn', 'Invalid Arn: \'Resource type not valid in this context: express\'');
    }
    if (!/^arn:aws[a-z-]*:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn)) throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
    const running = this.executions.get(arn);
    if (!running) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return running;
  }

  private executionName(name: string | undefined): string {
    if (name === undefined || name === '') return randomUUID();
    if (name.length > 80 || INVALID_NAME.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    return name;
  }

  private executionArn(machine: StateMachineModel, name: string): string {
    const { region, account } = this.options;
    return machine.type === 'EXPRESS'
      ? `arn:aws:states:${region}:${account}:express:${machine.name}:${name}:${randomUUID()}`
      : `arn:aws:states:${region}:${account}:execution:${machine.name}:${name}`;
  }

  private run(machine: LocalMachine, executionArn: string, name: string, input: string): Running {
    if (this.stopped) throw new SfnError('ServiceUnavailable', 'the local runner is stopping', 503);
    const record: ExecutionRecord = { executionArn, stateMachineArn: machine.model.arn, name, status: 'RUNNING', startDate: new Date(), input };
    const execution = machine.interpreter.run(JSON.parse(input), {
      overrides: { taskResourceLocalHandlers: machine.handlers },
      context: {
        Execution: { Id: executionArn, Name: name },
        StateMachine: { Id: machine.model.arn, Name: machine.model.name },
      },
    });
    const settle = (status: ExecutionStatus, fields: Partial<ExecutionRecord>) => {
      if (record.status !== 'RUNNING') return; // stopped meanwhile
      Object.assign(record, fields, { status, stopDate: new Date() });
      this.log(`Step Functions: ${executionArn} ${status}${record.error ? ` (${record.error})` : ''}`);
    };
    const done = (execution.result as Promise<unknown>).then(
      (output) => settle('SUCCEEDED', { output: JSON.stringify(output ?? null) }),
      (error: any) => {
        if (error instanceof asl.ExecutionTimeoutError) return settle('TIMED_OUT', { error: 'States.Timeout' });
        if (error instanceof asl.ExecutionAbortedError) return settle('ABORTED', {});
        const failure = error instanceof asl.ExecutionError ? error.cause ?? error : error;
        return settle('FAILED', { error: failure?.name ?? 'States.Runtime', cause: failure?.message });
      },
    );
    const running: Running = { record, abort: execution.abort, done };
    this.active.add(running);
    this.log(`Step Functions: ${executionArn} RUNNING`);
    void done.then(() => this.active.delete(running));
    return running;
  }

  private keep(running: Running): void {
    this.executions.set(running.record.executionArn, running);
    if (this.executions.size <= KEPT_EXECUTIONS) return;
    for (const [arn, old] of this.executions) {
      if (old.record.status !== 'RUNNING') {
        this.executions.delete(arn);
        return;
      }
    }
  }
}

function executionInput(input: string | undefined): string {
  const text = input === undefined || input === '' ? '{}' : input;
  if (Buffer.byteLength(text) > MAX_INPUT_BYTES) {
    throw new SfnError('ValidationException', `1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to ${MAX_INPUT_BYTES}`);
  }
  try {
    JSON.parse(text);
  } catch {
    throw new SfnError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${text.slice(0, 100)}'`);
  }
  return text;
}
