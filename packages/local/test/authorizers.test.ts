import { createSign, generateKeyPairSync } from 'node:crypto';
import { send } from './client';
import { ECHO_HANDLER, serveFixture } from './fixture';
import { RunningStack } from '../src/runner/serve-options';

// Lambda REQUEST and JWT authorizers in front of an echo function.
const SIMPLE = `exports.handler = async (event) => {
  console.log('authorizer invoked with ' + JSON.stringify(event.identitySource));
  return { isAuthorized: event.headers['x-token'] === 'good', context: { user: 'ann', level: 3 } };
};`;
const POLICY = `exports.handler = async (event) => {
  console.log('policy authorizer invoked, type ' + event.type + ', version ' + event.version + ', for ' + event.methodArn);
  const token = event.identitySource;
  if (token === 'boom') throw new Error('authorizer broke');
  if (token === 'weird') return { hello: 'world' };
  const effect = token === 'good' ? 'Allow' : 'Deny';
  return {
    principalId: 'user-7',
    // Only GET /policy of this API and stage: another route behind the same authorizer is denied.
    policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: ['arn:aws:execute-api:eu-west-1:111111111111:' + event.requestContext.apiId + '/$default/GET/policy'] }] },
    context: { tenant: 'acme' },
  };
};`;

const uri = (fn: string) => ({ 'Fn::Join': ['', ['arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/', { 'Fn::GetAtt': [fn, 'Arn'] }, '/invocations']] });
const ISSUER = 'https://issuer.example';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwks = { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] };
const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

function jwt(claims: Record<string, unknown>, key = privateKey, kid = 'k1'): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const head = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
  return `${head}.${createSign('RSA-SHA256').update(head).sign(key).toString('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);
const valid = (extra: Record<string, unknown> = {}) => ({ iss: ISSUER, aud: 'my-app', exp: now() + 600, iat: now() - 10, sub: 'u1', scope: 'books:read profile', ...extra });

const STACK = {
  stages: [{ name: '$default', properties: { AccessLogSettings: { DestinationArn: 'arn:aws:logs:eu-west-1:111111111111:log-group:a', Format: 'ACCESS user=$context.authorizer.user sub=$context.authorizer.claims.sub principal=$context.authorizer.principalId' } } }],
  functions: { Echo: { source: ECHO_HANDLER }, Simple: { source: SIMPLE }, Policy: { source: POLICY } },
  resources: {
    SimpleAuth: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'Api' },
        Name: 'simple',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: uri('Simple'),
        IdentitySource: ['$request.header.x-token'],
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
      },
    },
    PolicyAuth: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'Api' },
        Name: 'policy',
        AuthorizerType: 'REQUEST',
        AuthorizerUri: uri('Policy'),
        IdentitySource: ['$request.querystring.token'],
        AuthorizerPayloadFormatVersion: '1.0',
      },
    },
    JwtAuth: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: { Ref: 'Api' },
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Issuer: ISSUER, Audience: ['my-app'] },
      },
    },
  },
  routes: [
    { routeKey: 'GET /simple', fn: 'Echo', route: { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'SimpleAuth' } } },
    { routeKey: 'GET /policy', fn: 'Echo', payloadFormatVersion: '1.0' as const, route: { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'PolicyAuth' } } },
    { routeKey: 'GET /other', fn: 'Echo', payloadFormatVersion: '1.0' as const, route: { AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: 'PolicyAuth' } } },
    { routeKey: 'GET /jwt', fn: 'Echo', route: { AuthorizationType: 'JWT', AuthorizerId: { Ref: 'JwtAuth' }, AuthorizationScopes: ['books:read', 'books:write'] } },
    { routeKey: 'GET /admin', fn: 'Echo', route: { AuthorizationType: 'JWT', AuthorizerId: { Ref: 'JwtAuth' }, AuthorizationScopes: ['admin'] } },
  ],
};

describe('Lambda authorizers', () => {
  let running: RunningStack;
  let url: string;
  const lines: string[] = [];
  beforeAll(async () => {
    running = await serveFixture(STACK, lines);
    url = running.apis[0].stageUrls.$default;
  });
  afterAll(() => running?.stop());

  test('simple response: allowed, with the context in requestContext.authorizer.lambda', async () => {
    const reply = await send(`${url}/simple`, { headers: { 'x-token': 'good' } });
    expect(reply.status).toBe(200);
    expect(reply.json().requestContext.authorizer).toEqual({ lambda: { user: 'ann', level: 3 } });
    expect(lines).toContain('ACCESS user=ann sub=- principal=-');
    expect(lines).toContainEqual(expect.stringContaining('authorizer invoked with ["good"]'));
  });

  test('simple response: isAuthorized false is 403 {"message":"Forbidden"}', async () => {
    const reply = await send(`${url}/simple`, { headers: { 'x-token': 'bad' } });
    expect([reply.status, reply.json()]).toEqual([403, { message: 'Forbidden' }]);
  });

  test('a missing or empty identity source is 401 {"message":"Unauthorized"} without invoking the authorizer', async () => {
    lines.length = 0;
    for (const headers of [{}, { 'x-token': '' }] as Array<Record<string, string>>) {
      const reply = await send(`${url}/simple`, { headers });
      expect([reply.status, reply.json()]).toEqual([401, { message: 'Unauthorized' }]);
    }
    // Earlier tests' calls (with "good" or "bad" tokens) may still be printing from the function's process.
    expect(lines.filter((l) => l.includes('authorizer invoked') && !/"(good|bad)"/.test(l))).toEqual([]);
  });

  test('IAM-policy response (payload 1.0): Allow passes principalId and context on; Deny is 403', async () => {
    const allowed = await send(`${url}/policy?token=good`);
    expect(allowed.status).toBe(200);
    expect(allowed.json().requestContext.authorizer).toEqual({ lambda: { tenant: 'acme' } });
    expect(lines).toContainEqual(expect.stringContaining(`policy authorizer invoked, type REQUEST, version 1.0, for arn:aws:execute-api:eu-west-1:111111111111:${running.apis[0].id}/$default/GET/policy`));
    expect(lines).toContain('ACCESS user=- sub=- principal=user-7');
    const otherRoute = await send(`${url}/other?token=good`);
    expect([otherRoute.status, otherRoute.json()]).toEqual([403, { message: 'Forbidden' }]);
    const denied = await send(`${url}/policy?token=bad`);
    expect([denied.status, denied.json()]).toEqual([403, { message: 'Forbidden' }]);
  });

  test('an authorizer that throws or answers in neither shape: 500 {"message":"Internal Server Error"}', async () => {
    for (const token of ['boom', 'weird']) {
      const reply = await send(`${url}/policy?token=${token}`);
      expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    }
  });
});

describe('JWT authorizer without --jwks', () => {
  let running: RunningStack;
  let url: string;
  beforeAll(async () => {
    running = await serveFixture(STACK);
    url = running.apis[0].stageUrls.$default;
  });
  afterAll(() => running?.stop());

  test('says at startup that signatures are not verified', () => {
    expect(running.warnings).toContain("JWT authorizers check issuer, audience, expiry and scopes, but not signatures: give --jwks FILE (the issuer's JWKS) to verify them");
  });

  test('a valid token (Bearer prefix or none) passes its claims and scopes on', async () => {
    for (const value of [`Bearer ${jwt(valid())}`, jwt(valid())]) {
      const reply = await send(`${url}/jwt`, { headers: { authorization: value } });
      expect(reply.status).toBe(200);
      expect(reply.json().requestContext.authorizer.jwt).toEqual({ claims: expect.objectContaining({ sub: 'u1', iss: ISSUER }), scopes: ['books:read', 'profile'] });
    }
  });

  test('without --jwks a token signed by another key still passes: only claims are checked', async () => {
    const reply = await send(`${url}/jwt`, { headers: { authorization: `Bearer ${jwt(valid(), other)}` } });
    expect(reply.status).toBe(200);
  });

  test.each([
    ['no token', undefined, 'Unauthorized'],
    ['not a JWT', 'Bearer abc.def', 'the token is not a JWT'],
    ['another issuer', jwt(valid({ iss: 'https://evil.example' })), 'the token does not have a valid issuer'],
    ['another audience', jwt(valid({ aud: ['other'] })), 'the token does not have a valid audience'],
    ['expired', jwt(valid({ exp: now() - 1 })), 'the token has expired'],
    ['not yet valid', jwt(valid({ nbf: now() + 600 })), 'the token is not valid yet'],
    ['issued in the future', jwt(valid({ iat: now() + 600 })), 'the token was issued in the future'],
  ])('%s: 401 {"message":"Unauthorized"}', async (_, token, why) => {
    const reply = await send(`${url}/jwt`, { headers: token ? { authorization: token } : {} });
    expect([reply.status, reply.json()]).toEqual([401, { message: 'Unauthorized' }]);
    if (token) expect(reply.headers['www-authenticate']).toContain(`error_description="${why}"`);
  });

  test('client_id counts as the audience when there is no aud; scp works as scope', async () => {
    const reply = await send(`${url}/jwt`, { headers: { authorization: jwt(valid({ aud: undefined, client_id: 'my-app', scope: undefined, scp: ['books:write'] })) } });
    expect(reply.status).toBe(200);
  });

  test('a token without any of the route\'s scopes: 403 {"message":"Forbidden"}, insufficient_scope', async () => {
    const reply = await send(`${url}/admin`, { headers: { authorization: jwt(valid()) } });
    expect([reply.status, reply.json()]).toEqual([403, { message: 'Forbidden' }]);
    expect(reply.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });
});

describe('JWT authorizer with --jwks', () => {
  let running: RunningStack;
  let url: string;
  beforeAll(async () => {
    running = await serveFixture(STACK, [], { jwks });
    url = running.apis[0].stageUrls.$default;
  });
  afterAll(() => running?.stop());

  test('a token signed by the issuer\'s key passes; another key, an unknown kid or a changed payload is 401', async () => {
    expect((await send(`${url}/jwt`, { headers: { authorization: jwt(valid()) } })).status).toBe(200);
    expect(running.warnings.filter((w) => w.includes('JWT'))).toEqual([]);
    const forged = await send(`${url}/jwt`, { headers: { authorization: jwt(valid(), other) } });
    expect([forged.status, forged.headers['www-authenticate']]).toEqual([401, expect.stringContaining("the token's signature does not verify")]);
    const unknownKid = await send(`${url}/jwt`, { headers: { authorization: jwt(valid(), privateKey, 'k9') } });
    expect(unknownKid.headers['www-authenticate']).toContain('no key with kid k9 in the JWKS');
    const [h, , s] = jwt(valid()).split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify(valid({ sub: 'admin' }))).toString('base64url')}.${s}`;
    expect((await send(`${url}/jwt`, { headers: { authorization: tampered } })).status).toBe(401);
  });
});
