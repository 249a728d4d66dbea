import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a SigV4 check reads from a request. */
export interface SignedRequest {
  readonly method: string;
  /** The path as the client sent it, still percent-encoded. */
  readonly rawPath: string;
  readonly rawQueryString: string;
  /** Header name/value pairs as received. */
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/** A key pair the runner accepts signatures from. */
export interface SigningKey {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The session token issued with the key: a request that carries `x-amz-security-token` must carry this one. */
  readonly sessionToken?: string;
}

/** Why a signature was refused, in the words API Gateway uses for each case. */
export type SigV4Problem = 'missing' | 'malformed' | 'unknown-key' | 'expired' | 'mismatch';

export type SigV4Outcome =
  | { readonly ok: true; readonly accessKeyId: string }
  | { readonly ok: false; readonly problem: SigV4Problem; readonly detail: string; readonly signedAt?: number; readonly windowSeconds?: number };

/** "The signature expires 5 minutes after the timestamp" and a request more than 5 minutes early is refused as well. */
export const ALLOWED_SKEW_MS = 5 * 60 * 1000;

/**
 * Checks a request's Signature Version 4 `Authorization` header for the
 * `execute-api` service, step by step as
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 * describes the signer's side: the canonical request from the method, the
 * path (each segment percent-encoded once more, as for every service but
 * S3), the sorted query, the signed headers (names lower-cased, values
 * trimmed, runs of spaces collapsed) and the payload's SHA-256; the string
 * to sign with the credential scope; the key derived from the secret, the
 * date, the region and the service; then the signature compared in
 * constant time. The time in `x-amz-date` must be within 5 minutes of now.
 */
export function verifySigV4(request: SignedRequest, keys: SigningKey[], region: string, now: number): SigV4Outcome {
  const header = (name: string) => request.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  const parts = signatureParts(request, header);
  if ('problem' in parts) return parts;
  const { credential, signedHeaderList, signature, amzDate, securityToken, presigned } = parts;
  const [accessKeyId, day, scopeRegion, service, terminator] = credential.split('/');
  if (terminator !== 'aws4_request' || !/^\d{8}$/.test(day ?? '')) return refuse('malformed', `the credential ${credential} is not <key>/<yyyymmdd>/<region>/<service>/aws4_request`);
  const key = keys.find((k) => k.accessKeyId === accessKeyId);
  if (!key) return refuse('unknown-key', `the access key ${accessKeyId} is not one the runner knows`);
  // The token is signed too, so only its presence is checked here: a token the key was not issued with is unknown.
  if (securityToken !== undefined && securityToken !== key.sessionToken) return refuse('unknown-key', 'the x-amz-security-token is not the key\'s session token');
  if (service !== 'execute-api') return refuse('mismatch', `the credential scope names the service ${service}, not execute-api`);
  if (scopeRegion !== region) return refuse('mismatch', `the credential scope names the region ${scopeRegion}, not ${region}`);
  const signedAt = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!signedAt) return refuse('malformed', 'no x-amz-date of the form yyyymmddThhmmssZ');
  const signedAtMs = Date.UTC(+signedAt[1], +signedAt[2] - 1, +signedAt[3], +signedAt[4], +signedAt[5], +signedAt[6]);
  // A presigned URL is good from its date for X-Amz-Expires seconds; a signed header within 5 minutes either way.
  const late = presigned ? now > signedAtMs + presigned.expiresSeconds * 1000 : now - signedAtMs > ALLOWED_SKEW_MS;
  if (late || signedAtMs - now > ALLOWED_SKEW_MS) {
    return {
      ok: false,
      problem: 'expired',
      detail: `signed at ${amzDate}, outside the time the signature is good for`,
      signedAt: signedAtMs,
      windowSeconds: late && presigned ? presigned.expiresSeconds : ALLOWED_SKEW_MS / 1000,
    };
  }
  if (amzDate.slice(0, 8) !== day) return refuse('mismatch', `x-amz-date ${amzDate} is not on the credential's day ${day}`);
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) return refuse('mismatch', 'the host header is not signed');
  const missing = signedHeaders.find((name) => header(name).length === 0);
  if (missing) return refuse('mismatch', `the signed header ${missing} is not in the request`);
  // A declared payload hash is signed as declared; the body must then be what it declares.
  const bodyHash = sha256(request.body);
  const declaredHash = header('x-amz-content-sha256')[0];
  // UNSIGNED-PAYLOAD is S3's; for execute-api a declared hash must be the body's.
  if (declaredHash !== undefined && declaredHash !== bodyHash) {
    return refuse('mismatch', 'the body\'s SHA-256 is not the x-amz-content-sha256 it was signed with');
  }
  const canonicalRequest = [
    request.method,
    canonicalPath(request.rawPath),
    canonicalQuery(request.rawQueryString, presigned !== undefined),
    signedHeaders.map((name) => `${name}:${header(name).map((v) => v.trim().replace(/\s+/g, ' ')).join(',')}\n`).join(''),
    signedHeaderList,
    declaredHash ?? bodyHash,
  ].join('\n');
  const scope = `${day}/${scopeRegion}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(Buffer.from(canonicalRequest, 'utf8'))].join('\n');
  let signingKey = hmac(`AWS4${key.secretAccessKey}`, day);
  for (const part of [scopeRegion, service, 'aws4_request']) signingKey = hmac(signingKey, part);
  const expected = hmac(signingKey, stringToSign);
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return refuse('mismatch', `the signature does not match; the canonical request was:\n${canonicalRequest}`);
  return { ok: true, accessKeyId };
}

interface SignatureParts {
  readonly credential: string;
  readonly signedHeaderList: string;
  readonly signature: string;
  readonly amzDate: string;
  readonly securityToken?: string;
  /** A presigned URL: the signature is in the query string, good for this long. */
  readonly presigned?: { readonly expiresSeconds: number };
}

/**
 * The signature, from the `Authorization` header or, for a presigned URL
 * (what a browser's WebSocket, which cannot set headers, connects with),
 * from the `X-Amz-*` query parameters
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#create-canonical-request).
 */
function signatureParts(request: SignedRequest, header: (name: string) => string[]): SignatureParts | Extract<SigV4Outcome, { ok: false }> {
  const authorization = header('authorization')[0];
  if (authorization) {
    const parsed = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]{64})\s*$/.exec(authorization);
    if (!parsed) return refuse('malformed', 'the Authorization header is not AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...');
    return { credential: parsed[1], signedHeaderList: parsed[2], signature: parsed[3], amzDate: header('x-amz-date')[0] ?? '', securityToken: header('x-amz-security-token')[0] };
  }
  const query = new URLSearchParams(request.rawQueryString);
  if (!query.has('X-Amz-Signature')) return refuse('missing', 'no Authorization header and no X-Amz-Signature in the query');
  const expires = Number(query.get('X-Amz-Expires') ?? '');
  // A presigned URL lives at most 7 days (604,800 s), as SigV4 limits it.
  const valid = query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256' && /^[0-9a-f]{64}$/.test(query.get('X-Amz-Signature')!)
    && Number.isInteger(expires) && expires >= 1 && expires <= 604_800;
  if (!valid) {
    return refuse('malformed', 'a presigned URL needs X-Amz-Algorithm=AWS4-HMAC-SHA256, X-Amz-Expires (1 to 604800 s) and a hex X-Amz-Signature');
  }
  return {
    credential: query.get('X-Amz-Credential') ?? '',
    signedHeaderList: query.get('X-Amz-SignedHeaders') ?? '',
    signature: query.get('X-Amz-Signature')!,
    amzDate: query.get('X-Amz-Date') ?? '',
    securityToken: query.get('X-Amz-Security-Token') ?? undefined,
    presigned: { expiresSeconds: expires },
  };
}

function refuse(problem: SigV4Problem, detail: string): Extract<SigV4Outcome, { ok: false }> {
  return { ok: false, problem, detail };
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** RFC 3986 unreserved characters stay; everything else is %XX in upper case, as SigV4 wants. */
function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The path as sent, normalized as SigV4 asks for every service but S3
 * ("Normalize URI paths according to RFC 3986": `.` and `..` resolved; empty
 * segments dropped, as the SDK's signer drops them), then each segment
 * encoded once more, since the signer encodes the already-encoded path.
 */
function canonicalPath(rawPath: string): string {
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(encode).join('/')}${trailing}`;
}

/** The query's parameters, decoded then encoded the SigV4 way, sorted by name then value; a presigned URL's signature left out. */
function canonicalQuery(rawQueryString: string, presigned: boolean): string {
  if (!rawQueryString) return '';
  const pairs = rawQueryString.split('&').filter(Boolean).map((pair) => {
    const eq = pair.indexOf('=');
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    return [decode(name), decode(value)];
  }).filter(([name]) => !presigned || name !== 'X-Amz-Signature').map(([name, value]) => [encode(name), encode(value)]);
  pairs.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

/** Percent-decoding only: a `+` is a plus, as RFC 3986 has it (a space as `+` is HTML forms' convention, not SigV4's). */
function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
