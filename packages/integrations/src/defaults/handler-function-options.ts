import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * How a pattern's handler functions run: the one prop (`functions`) every
 * pattern with functions takes, applied to each of them.
 */
export interface HandlerFunctionOptions {
  /**
   * Memory of each function, in MB (128 to 10,240; CPU grows with it).
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Timeout of each function: at least 1 second, and at most what the API
   * waits for an integration (30 s on an HTTP API, 29 s on a WebSocket API),
   * since API Gateway gives up on a slower answer anyway.
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Concurrent executions reserved for each function, taken from the account's
   * unreserved pool (0 stops every invocation).
   * @default - none: the functions share the account's unreserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * More environment variables for each function. Names Lambda reserves
   * (`AWS_REGION`, `_HANDLER`, ...), `NODE_OPTIONS` and the variables the
   * pattern sets itself (`TABLE_NAME`, ...) are refused at synth.
   * @default - none
   */
  readonly environment?: { [name: string]: string };
  /**
   * The lowest level of the handlers' log lines that reaches CloudWatch Logs,
   * through Lambda's advanced logging controls. The functions log in JSON,
   * which application log levels need.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
}
