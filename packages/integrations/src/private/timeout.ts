import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { cfnIntegrationOf } from './children';
import { configError } from './errors';

// API Gateway quotas (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
// and .../apigateway-execution-service-websocket-limits-table.html): an HTTP API
// integration may take 50 ms to 30 s, a WebSocket API integration 50 ms to 29 s.
export const HTTP_TIMEOUT_MS = { min: 50, max: 30_000 };
export const WEBSOCKET_TIMEOUT_MS = { min: 50, max: 29_000 };
// aws-cdk-lib's HttpIntegration refuses anything over 29 s, the REST API limit.
const BASE_CLASS_MAX_MS = 29_000;

/** Fails at synth for a timeout outside what the API type accepts; tokens pass unchecked. */
export function checkTimeout(owner: string, integrationId: string, timeout: Duration | undefined, limits: { min: number; max: number }, api: string) {
  if (!timeout || timeout.isUnresolved()) return;
  const ms = timeout.toMilliseconds();
  if (ms < limits.min || ms > limits.max) {
    configError(integrationId, 'TimeoutOutOfRange', owner, 'timeout',
      `${ms} ms is outside what ${api} integrations accept (${limits.min} ms to ${limits.max / 1000} s)`,
      `pass a Duration between Duration.millis(${limits.min}) and Duration.seconds(${limits.max / 1000})`);
  }
}

/**
 * An HTTP integration's timeout, validated against the HTTP API range. What the
 * base class accepts goes through `forBase`; 29-30 s (allowed by HTTP APIs,
 * refused by the base class) is written onto the CfnIntegration by `apply`.
 */
export class HttpTimeout {
  public readonly forBase?: Duration;
  private readonly override?: number;
  private applied = false;

  constructor(owner: string, private readonly integrationId: string, timeout: Duration | undefined) {
    checkTimeout(owner, integrationId, timeout, HTTP_TIMEOUT_MS, 'HTTP API');
    if (timeout && !timeout.isUnresolved() && timeout.toMilliseconds() > BASE_CLASS_MAX_MS) {
      this.override = timeout.toMilliseconds();
    } else {
      this.forBase = timeout;
    }
  }

  /** Call from completeBind: the base class has just created the integration under `scope`. */
  public apply(scope: IConstruct) {
    if (this.override === undefined || this.applied) return;
    cfnIntegrationOf(scope, this.integrationId).addPropertyOverride('TimeoutInMillis', this.override);
    this.applied = true;
  }
}
