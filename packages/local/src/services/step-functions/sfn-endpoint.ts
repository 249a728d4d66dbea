import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { refuseWebPages } from '../browser-requests';
import { closeServer, listenOnLoopback } from '../loopback';
import { SfnError } from './sfn-error';
import { ExecutionRecord, StepFunctionsService } from './step-functions-service';

/** The Step Functions endpoint: `AWS_ENDPOINT_URL_SFN` of every worker. */
export interface SfnEndpoint {
  readonly endpoint: string;
  /**
   * Gives the service that answers. The endpoint listens first, because the
   * functions the service runs need its URL; until then it answers 503.
   */
  serve(service: StepFunctionsService): void;
  stop(): Promise<void>;
}

/**
 * Step Functions' API over HTTP, in the AWS JSON 1.0 protocol the SDK speaks
 * (`POST /`, `x-amz-target: AWSStepFunctions.<Action>`, a JSON body; errors
 * with status 400 and `__type`, https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html).
 * Timestamps are epoch seconds, the protocol's default. Actions the runner
 * does not emulate get the catch-all's 501 `NotEmulated`.
 */
export async function startSfnEndpoint(onUnemulated: (action: string) => void): Promise<SfnEndpoint> {
  let service: StepFunctionsService | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      const action = target.replace(/^AWSStepFunctions\./, '');
      const reply = (status: number, body: unknown, errorType?: string) => {
        const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': randomUUID() };
        if (errorType) headers['x-amzn-errortype'] = errorType;
        res.writeHead(status, headers);
        res.end(JSON.stringify(body));
      };
      let params: any;
      try {
        params = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        reply(400, { __type: 'SerializationException', message: 'the request body is not JSON' }, 'SerializationException');
        return;
      }
      if (!service) {
        reply(503, { __type: 'ServiceUnavailable', message: 'the local Step Functions service is starting' }, 'ServiceUnavailable');
        return;
      }
      call(service, action, params).then(
        (result) => {
          if (result === undefined) {
            onUnemulated(target);
            reply(501, { __type: 'NotEmulated', message: `states (${target}) is not emulated by apigw-local` }, 'NotEmulated');
          } else {
            reply(200, result);
          }
        },
        (error: Error) => {
          if (error instanceof SfnError) reply(error.status, { __type: error.type, message: error.message }, error.type);
          else reply(500, { __type: 'InternalFailure', message: error.message }, 'InternalFailure');
        },
      );
    });
  });
  refuseWebPages(server);
  const port = await listenOnLoopback(server, 0);
  return {
    endpoint: `http://127.0.0.1:${port}`,
    serve: (s) => {
      service = s;
    },
    stop: () => closeServer(server),
  };
}

async function call(service: StepFunctionsService, action: string, params: any): Promise<unknown> {
  switch (action) {
    case 'StartExecution': return wire(service.startExecution(params));
    case 'StartSyncExecution': return wire(syncExecutionResult(await service.startSyncExecution(params)));
    case 'StopExecution': return wire(service.stopExecution(params));
    case 'DescribeExecution': return wire(describeExecutionResult(service.describeExecution(params.executionArn)));
    default: return undefined;
  }
}

/** DescribeExecution's response (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html). */
export function describeExecutionResult(r: ExecutionRecord): Record<string, unknown> {
  return { ...executionFields(r), redriveCount: 0, redriveStatus: 'NOT_REDRIVABLE' };
}

/** The fields DescribeExecution and StartSyncExecution share. */
function executionFields(r: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: r.startDate,
    stopDate: r.stopDate,
    input: r.input,
    inputDetails: { included: true },
    output: r.output,
    outputDetails: r.output === undefined ? undefined : { included: true },
    error: r.error,
    cause: r.cause,
  };
}

/**
 * StartSyncExecution's response (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html).
 * Billing figures are the runner's: Express bills at least 100 ms and 64 MB.
 */
export function syncExecutionResult(r: ExecutionRecord): Record<string, unknown> {
  const ms = (r.stopDate ?? new Date()).getTime() - r.startDate.getTime();
  return {
    ...executionFields(r),
    billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(ms / 100) * 100) },
  };
}

/** Dates as epoch seconds, undefined members left out: the JSON 1.0 wire form. */
export function wire(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, v instanceof Date ? v.getTime() / 1000 : v]));
}
