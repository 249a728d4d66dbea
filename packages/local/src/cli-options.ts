import { JsonWebKey } from 'node:crypto';
import { readJsonFile } from './assembly/json-file';
import { UsageError } from './assembly/usage-error';

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

/** `--jwks FILE`: a JSON Web Key Set, `{"keys": [...]}`, as an issuer's jwks_uri serves it. */
export function readJwks(file: string): { keys: JsonWebKey[] } {
  const parsed = readJsonFile(file, 'give a JSON file with the issuer\'s keys ({"keys": [...]})', `--jwks ${file}`);
  if (!Array.isArray(parsed?.keys)) throw new UsageError(`--jwks ${file}: no "keys" array; give the JSON the issuer's jwks_uri serves`);
  return parsed;
}
