// Lambda's application log-level filtering, for a function whose LoggingConfig
// has LogFormat JSON and an ApplicationLogLevel: the Node.js runtime gives each
// console method a level and drops lines below the function's
// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html,
// https://docs.aws.amazon.com/lambda/latest/dg/nodejs-logging.html). The runner
// keeps the lines as text, prefixed with the function's name: it filters, it
// does not reformat.

/** Lambda's levels, least severe first. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

/** The level Lambda's Node.js runtime gives each console method. */
const METHOD_LEVELS = { trace: 'TRACE', debug: 'DEBUG', log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR' } as const;

/** Silences the console methods below `level` (one of LOG_LEVELS); an unknown level filters nothing. */
export function filterConsole(target: Console, level: string): void {
  const threshold = LOG_LEVELS.indexOf(level.toUpperCase() as (typeof LOG_LEVELS)[number]);
  if (threshold < 0) return;
  for (const [method, methodLevel] of Object.entries(METHOD_LEVELS)) {
    if (LOG_LEVELS.indexOf(methodLevel) < threshold) (target as any)[method] = () => undefined;
  }
}
