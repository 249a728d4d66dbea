import { ApiRequest, ApiResponse } from '../integrations/api-request';
import { requestContextVariables } from '../integrations/context-variables';

/** Timings of one request, for the latency variables. */
export interface RequestTimings {
  /** From receipt to the response, ms. */
  readonly responseLatencyMs: number;
  /** The integration's share, ms; undefined when no integration ran. */
  readonly integrationLatencyMs?: number;
}

/**
 * One access-log line in the stage's `AccessLogSettings.Format`, its
 * `$context` variables filled
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html).
 * A variable with no value becomes `-`: AWS documents nothing for that
 * case; `-` is what CloudWatch shows for such lines and the runner's choice.
 */
export function accessLogLine(format: string, request: ApiRequest, response: ApiResponse, timings: RequestTimings): string {
  const vars: Record<string, string | undefined> = {
    ...requestContextVariables(request),
    'status': String(response.statusCode),
    'responseLength': String(response.body.length),
    'responseLatency': String(timings.responseLatencyMs),
    'integrationLatency': timings.integrationLatencyMs === undefined ? undefined : String(timings.integrationLatencyMs),
    'integration.latency': timings.integrationLatencyMs === undefined ? undefined : String(timings.integrationLatencyMs),
    'integrationStatus': response.integration?.status === undefined ? undefined : String(response.integration.status),
    'integration.status': response.integration?.backendStatus === undefined ? undefined : String(response.integration.backendStatus),
    'integrationErrorMessage': response.integration?.error,
    'integration.error': response.integration?.error,
    'error.message': response.errorMessage,
    // The quoted form stays valid JSON in a JSON format when there is no message.
    'error.messageString': JSON.stringify(response.errorMessage ?? '-'),
  };
  return fillAccessLogFormat(format, vars);
}

/** An access-log format with its `$context.<name>` variables replaced from `vars` (`-` for no value). */
export function fillAccessLogFormat(format: string, vars: Record<string, string | undefined>): string {
  return format.replace(/\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])/g, (_, name: string) => {
    const value = vars[name];
    return value === undefined || value === '' ? '-' : value;
  });
}
