import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { RUNNER_SIGNING_KEY } from '../src/functions/lambda-environment';

/** Credentials to sign with; the runner's own by default. */
export type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

/** node:crypto's SHA-256 in the shape the SDK's signer takes (what @smithy/hash-node wraps). */
export class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = secret === undefined || typeof secret === 'string' ? secret
      : ArrayBuffer.isView(secret) ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : Buffer.from(secret);
    this.hash = key !== undefined ? createHmac('sha256', key) : createHash('sha256');
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
}

function signer(credentials: Credentials, region: string): SignatureV4 {
  return new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
}

/** Headers of a GET to `url`, signed by the AWS SDK's own SigV4 signer. */
export async function signedHeaders(
  url: string, signingDate: Date, credentials: Credentials = RUNNER_SIGNING_KEY, region = 'eu-west-1', extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  const { hostname, port, pathname } = new URL(url);
  const request = await signer(credentials, region).sign({
    method: 'GET', protocol: 'http:', hostname, port: Number(port), path: pathname, query: {}, headers: { host: `${hostname}:${port}`, ...extra },
  }, { signingDate });
  return request.headers;
}

/** `url` (its query kept) presigned by the AWS SDK's signer (the signature in the query string), as a browser's WebSocket connects. */
export async function presignedUrl(url: string, signingDate: Date, credentials: Credentials = RUNNER_SIGNING_KEY, region = 'eu-west-1'): Promise<string> {
  const parsed = new URL(url);
  const request = await signer(credentials, region).presign({
    method: 'GET',
    protocol: 'http:',
    hostname: parsed.hostname,
    port: Number(parsed.port),
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    headers: { host: parsed.host },
  }, { signingDate, expiresIn: 60 });
  const query = Object.entries(request.query ?? {}).map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(String(v))}`).join('&');
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}?${query}`;
}
