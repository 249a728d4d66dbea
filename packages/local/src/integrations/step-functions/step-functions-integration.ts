import { SfnError, StepFunctionsService, syncExecutionResult, wire } from '../../services/step-functions';
import { ApiRequest, ApiResponse, messageResponse, RouteIntegration } from '../api-request';
import { evaluateMapping } from '../mapping/mapping-expression';

/** The Step Functions subtypes HTTP APIs offer, with their required parameters. */
const SUBTYPES: Record<string, { readonly required: string[]; readonly optional: string[] }> = {
  'StepFunctions-StartExecution': { required: ['StateMachineArn'], optional: ['Name', 'Input', 'Region', 'TraceHeader'] },
  'StepFunctions-StartSyncExecution': { required: ['StateMachineArn'], optional: ['Name', 'Input', 'Region', 'TraceHeader'] },
  'StepFunctions-StopExecution': { required: ['ExecutionArn'], optional: ['Cause', 'Error', 'Region'] },
};

/** Whether the runner emulates this integration subtype. */
export function isStepFunctionsSubtype(subtype: string | undefined): boolean {
  return subtype !== undefined && subtype in SUBTYPES;
}

/**
 * An `AWS_PROXY` integration with a Step Functions subtype
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html):
 * the integration's `RequestParameters` are evaluated against the request
 * and the action runs on the embedded Step Functions. The client gets the
 * action's response with 200. Runner's choices where AWS documents no
 * answer: a required parameter the mapping leaves empty is 400
 * `{"message":"<Parameter> is required: ..."}` without calling Step Functions;
 * a Step Functions error is passed on with its status (400) and its JSON
 * error body (`__type`, `message`).
 */
export class StepFunctionsIntegration implements RouteIntegration {
  constructor(
    private readonly service: StepFunctionsService,
    private readonly subtype: string,
    private readonly requestParameters: Record<string, string>,
  ) {}

  public async handle(request: ApiRequest): Promise<ApiResponse> {
    const spec = SUBTYPES[this.subtype];
    const params: Record<string, string> = {};
    for (const [name, expression] of Object.entries(this.requestParameters)) {
      const value = evaluateMapping(String(expression), request);
      if (value !== undefined && value !== '') params[name] = value;
    }
    for (const name of spec.required) {
      if (params[name] === undefined) {
        const source = this.requestParameters[name];
        return messageResponse(400, `${name} is required: ${source ? `the mapping ${source} gave no value` : 'the integration maps nothing to it'}`);
      }
    }
    try {
      return ok(await this.call(params));
    } catch (error) {
      if (!(error instanceof SfnError)) throw error;
      return {
        statusCode: error.status,
        headers: [['content-type', 'application/x-amz-json-1.0'], ['x-amzn-errortype', error.type]],
        body: Buffer.from(JSON.stringify({ __type: error.type, message: error.message })),
        integration: { status: error.status, error: `${error.type}: ${error.message}` },
      };
    }
  }

  private async call(p: Record<string, string>): Promise<Record<string, unknown>> {
    const start = { stateMachineArn: p.StateMachineArn, name: p.Name, input: p.Input, traceHeader: p.TraceHeader };
    switch (this.subtype) {
      case 'StepFunctions-StartExecution': return wire(this.service.startExecution(start));
      case 'StepFunctions-StartSyncExecution': return wire(syncExecutionResult(await this.service.startSyncExecution(start)));
      default: return wire(this.service.stopExecution({ executionArn: p.ExecutionArn, error: p.Error, cause: p.Cause }));
    }
  }
}

function ok(body: Record<string, unknown>): ApiResponse {
  return { statusCode: 200, headers: [['content-type', 'application/json']], body: Buffer.from(JSON.stringify(body)), integration: { status: 200 } };
}
