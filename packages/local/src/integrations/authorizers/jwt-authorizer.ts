import { createPublicKey, JsonWebKey, verify } from 'node:crypto';
import { Authorizer, forbidden, identityValues, unauthorized, Verdict } from './authorizer';
import { claimsAsAwsSends } from './claim-text';
import { ApiRequest } from '../api-request';

/** A JWT authorizer as the template defines it, and the keys to verify with. */
export interface JwtAuthorizerSettings {
  readonly issuer: string;
  readonly audience: string[];
  /** @default ['$request.header.Authorization'] */
  readonly identitySource: string[];
  /** The route's AuthorizationScopes: the token needs one of them. */
  readonly scopes: string[];
  /** The issuer's JWKS (`--jwks FILE`); without it signatures are not checked. */
  readonly jwks?: { readonly keys: JsonWebKey[] };
  /** Seconds since the epoch. @default the wall clock */
  readonly now?: () => number;
}

// RSA only, as HTTP APIs' JWT authorizers support.
const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/**
 * A JWT authorizer, step by step as
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * describes it: the token from the identity source (a `Bearer ` prefix
 * optional), its signature by the issuer's key (`kid`, RSA algorithms) when
 * `--jwks` gave the keys, then `iss`, `aud` (or `client_id` when there is no
 * `aud`), `exp`, `nbf` and `iat`, then the route's scopes against `scope` /
 * `scp`. A failure is 401 `{"message":"Unauthorized"}` with a
 * `www-authenticate` header that says why (http-api-troubleshooting-jwt.html);
 * a token without a required scope is 403 `{"message":"Forbidden"}` with
 * `error="insufficient_scope"` (the runner's choice: AWS documents no body for it).
 */
export class JwtAuthorizer implements Authorizer {
  constructor(private readonly settings: JwtAuthorizerSettings) {}

  public async authorize(request: ApiRequest): Promise<Verdict> {
    const sources = this.settings.identitySource.length ? this.settings.identitySource : ['$request.header.Authorization'];
    const identity = identityValues(sources, request);
    if (!identity) return unauthorized();
    const token = identity[0].replace(/^Bearer\s+/i, '');
    const parts = token.split('.');
    const header = parts.length === 3 ? decode(parts[0]) : undefined;
    const claims = parts.length === 3 ? decode(parts[1]) : undefined;
    if (!header || !claims) return reject('the token is not a JWT');
    if (this.settings.jwks) {
      const problem = this.signatureProblem(header, parts);
      if (problem) return reject(problem);
    }
    const now = (this.settings.now ?? (() => Date.now() / 1000))();
    if (claims.iss !== this.settings.issuer) return reject('the token does not have a valid issuer');
    const audiences = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const audienceOk = claims.aud !== undefined
      ? audiences.some((a: unknown) => this.settings.audience.includes(String(a)))
      : claims.client_id !== undefined && this.settings.audience.includes(String(claims.client_id));
    if (!audienceOk) return reject('the token does not have a valid audience');
    if (typeof claims.exp !== 'number' || claims.exp <= now) return reject('the token has expired');
    if (typeof claims.nbf === 'number' && claims.nbf > now) return reject('the token is not valid yet');
    if (typeof claims.iat === 'number' && claims.iat > now) return reject('the token was issued in the future');
    const tokenScopes = scopesOf(claims);
    if (this.settings.scopes.length && !this.settings.scopes.some((s) => tokenScopes.includes(s))) {
      return forbidden([['www-authenticate', `Bearer scope="${this.settings.scopes.join(' ')}" error="insufficient_scope" error_description="expected scopes: ${this.settings.scopes.join(', ')}"`]]);
    }
    // Scopes only for a route that requires some: a captured event of a route without them has `scopes: null`
    // while the token's `scope` claim is there (DefinitelyTyped/DefinitelyTyped#75458).
    const scopes = this.settings.scopes.length && tokenScopes.length ? tokenScopes : null;
    return { allow: true, result: { jwt: { claims: claimsAsAwsSends(claims), scopes } } };
  }

  private signatureProblem(header: Record<string, any>, parts: string[]): string | undefined {
    const hash = ALGORITHMS[header.alg];
    if (!hash) return `the token's algorithm ${header.alg} is not supported (RSA only)`;
    const jwk = this.settings.jwks!.keys.find((k: any) => k.kid === header.kid);
    if (!jwk) return `no key with kid ${header.kid} in the JWKS`;
    try {
      const ok = verify(hash, Buffer.from(`${parts[0]}.${parts[1]}`), createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(parts[2], 'base64url'));
      return ok ? undefined : 'the token\'s signature does not verify';
    } catch (error) {
      return `the token's signature cannot be checked: ${(error as Error).message}`;
    }
  }
}

function reject(description: string): Verdict {
  return unauthorized([['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${description}"`]]);
}

function decode(part: string): Record<string, any> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function scopesOf(claims: Record<string, any>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}
