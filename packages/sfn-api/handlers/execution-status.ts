import { DescribeExecutionCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';

// DescribeExecution serves Standard executions only (Express executions are not recorded),
// so this route reads the Standard machine's executions by name.
const MACHINE_ARN = process.env.STATE_MACHINE_ARN ?? '';
const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const client = new SFNClient({});

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** GET /executions/{name}: the status of one execution of the Standard machine. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> {
  const name = event.pathParameters?.name ?? '';
  if (!NAME.test(name)) return json(400, { message: 'name: 1 to 80 of letters, digits, "_" and "-"' });
  // arn:...:stateMachine:<machine> -> arn:...:execution:<machine>:<name>
  const executionArn = `${MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`;
  try {
    const execution = await client.send(new DescribeExecutionCommand({ executionArn }));
    return json(200, {
      name,
      executionArn,
      status: execution.status,
      startDate: execution.startDate?.toISOString(),
      stopDate: execution.stopDate?.toISOString(),
      output: execution.output === undefined ? undefined : JSON.parse(execution.output),
      error: execution.error,
      cause: execution.cause,
    });
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return json(404, { message: `execution ${name}: not found` });
    throw error;
  }
}
