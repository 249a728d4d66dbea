import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';

/**
 * The thresholds of the patterns' alarms. Rates are fractions (0.05 = 5 %).
 */
export interface PatternAlarmThresholds {
  /**
   * Share of requests answered 5xx (HTTP API stages, ALB targets) that alarms,
   * when it holds for three consecutive 5-minute periods with at least
   * `minimumRequests` requests each.
   * @default 0.05
   */
  readonly serverErrorRate?: number;
  /**
   * Share of HTTP requests answered 4xx that alarms (same periods as
   * `serverErrorRate`). A 4xx is usually the client's doing, so there is no
   * such alarm unless this is set.
   * @default - no 4xx alarm
   */
  readonly clientErrorRate?: number;
  /**
   * Share of WebSocket connects and messages refused with a client error
   * (`ClientError`) that alarms (same periods as `serverErrorRate`).
   * @default 0.1
   */
  readonly webSocketClientErrorRate?: number;
  /**
   * Requests a period needs before its error rate counts: at lower traffic
   * one failed request would be a large share.
   * @default 10
   */
  readonly minimumRequests?: number;
  /**
   * p99 latency of an HTTP API stage (and of ALB targets) that alarms for
   * three consecutive 5-minute periods.
   * @default Duration.seconds(3)
   */
  readonly latencyP99?: Duration;
  /**
   * Share of a function's timeout its p99 duration may reach before it
   * alarms (three consecutive 5-minute periods): a function close to its
   * timeout is about to fail.
   * @default 0.8
   */
  readonly functionDurationShare?: number;
  /**
   * CPU and memory utilization (%) of a Fargate service that alarms for
   * three consecutive 5-minute periods.
   * @default 80
   */
  readonly utilizationPercent?: number;
}

/**
 * The monitoring props every pattern takes, with the same names and defaults.
 */
export interface PatternMonitoringProps {
  /**
   * Create the pattern's CloudWatch alarms (see its README for the list).
   * @default true
   */
  readonly alarms?: boolean;
  /**
   * A topic every alarm notifies, on ALARM and on OK.
   * @default - the alarms notify no one
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Create a CloudWatch dashboard: one row per component, each metric drawn
   * with its alarm threshold. Dashboards are billed per month.
   * @default false
   */
  readonly dashboard?: boolean;
  /**
   * The alarms' thresholds.
   * @default - PatternAlarmThresholds defaults
   */
  readonly alarmThresholds?: PatternAlarmThresholds;
}
