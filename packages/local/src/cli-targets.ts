import { UsageError } from './runner';

/** `--target URL` (every private integration) and `--target <IntegrationLogicalId>=URL`. */
export function parseTargets(flags: string[]): Record<string, string> {
  const targets: Record<string, string> = {};
  for (const flag of flags) {
    const named = /^([A-Za-z0-9]+)=(.+)$/.exec(flag);
    const [key, url] = named ? [named[1], named[2]] : ['*', flag];
    if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--target ${flag}: give an http(s) URL, alone or as <IntegrationLogicalId>=URL`);
    targets[key] = url.replace(/\/+$/, '');
  }
  return targets;
}
