import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * How a pattern's handler functions run: the one prop (`functions`) every
 * pattern with functions takes, applied to each of them.
 */
export interface HandlerFunctionOptions {
  /**
   * The Node.js runtime of each function, to pin one instead of following
   * aws-cdk-lib's newest: Node.js 24 or newer, which the handlers are bundled
   * for. A runtime older than the newest your aws-cdk-lib lists is flagged by
   * cdk-nag's AwsSolutions-L1; acknowledge it on the functions if you pin one.
   * @default HandlerFunction.RUNTIME: the newest Node.js runtime of the aws-cdk-lib in use
   */
  readonly runtime?: lambda.Runtime;

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
