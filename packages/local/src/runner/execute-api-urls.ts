/**
 * `https://<api>.execute-api.<region>.<suffix>/<stage>...` of an API the
 * runner serves becomes `http://127.0.0.1:<port>/<stage>...`, so a handler
 * that calls its own API (or builds links to it) reaches the local one.
 */
export function rewriteExecuteApiUrls(value: string, ports: Map<string, number>): string {
  return value.replace(/\b(https|wss):\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/g, (url, scheme: string, id: string) => {
    const port = ports.get(id);
    return port === undefined ? url : `${scheme === 'wss' ? 'ws' : 'http'}://127.0.0.1:${port}`;
  });
}
