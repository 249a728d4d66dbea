import { execFile } from 'node:child_process';
import { connect } from 'node:net';
import { Duration, Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, IHttpRouteAuthorizer, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer, HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { synthStack } from './cdk-app';
import { send } from './client';
import { Credentials, signedHeaders } from './sigv4-signer';
import { banner } from '../src/banner';
import { RunningStack } from '../src/runner/serve-options';
import { serveStack } from '../src/runner/serve-stack';

// A user's HTTP API built with aws-cdk-lib's own constructs and authorizers:
// JWT claims as AWS sends them, Lambda authorizer caching and its 10 s bound,
// AWS_IAM with SigV4, the header quota, 1xx results, a trailing slash.

const ECHO = `exports.handler = async (event) => {
  const code = event.pathParameters && event.pathParameters.code;
  if (code) return { statusCode: Number(code), body: 'odd' };
  return { statusCode: 200, body: JSON.stringify({ authorizer: event.requestContext.authorizer, identity: event.requestContext.identity }) };
};`;
const AUTHORIZER = `exports.handler = async (event) => {
  console.log('AUTHORIZER_CALLED ' + event.headers.authorization);
  if (event.headers.authorization === 'slow') await new Promise((r) => setTimeout(r, 8000));
  return { isAuthorized: event.headers.authorization !== 'no', context: { who: event.headers.authorization } };
};`;

function fn(stack: Stack, id: string, source: string): LambdaFunction {
  return new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline(source), timeout: Duration.seconds(10) });
}

function httpApp(stack: Stack): void {
  const api = new HttpApi(stack, 'Api');
  const echo = new HttpLambdaIntegration('Echo', fn(stack, 'Echo', ECHO));
  const echoV1 = new HttpLambdaIntegration('EchoV1', fn(stack, 'EchoV1', ECHO), { payloadFormatVersion: PayloadFormatVersion.VERSION_1_0 });
  const route = (path: string, integration: HttpLambdaIntegration, authorizer?: IHttpRouteAuthorizer) => {
    api.addRoutes({ path, methods: [HttpMethod.GET], integration, authorizer });
  };
  const jwtAuthorizer = new HttpJwtAuthorizer('Jwt', 'https://issuer.example', { jwtAudience: ['app'] });
  route('/claims', echo, jwtAuthorizer);
  route('/claims-v1', echoV1, jwtAuthorizer);
  const authorizerFn = fn(stack, 'Authorizer', AUTHORIZER);
  const cached = new HttpLambdaAuthorizer('Cached', authorizerFn, { responseTypes: [HttpLambdaResponseType.SIMPLE], resultsCacheTtl: Duration.minutes(5) });
  route('/cached', echo, cached);
  route('/cached-too', echo, cached);
  route('/uncached', echo, new HttpLambdaAuthorizer('Uncached', authorizerFn, { responseTypes: [HttpLambdaResponseType.SIMPLE], resultsCacheTtl: Duration.seconds(0) }));
  route('/iam', echo, new HttpIamAuthorizer());
  route('/iam-v1', echoV1, new HttpIamAuthorizer());
  route('/status/{code}', echo);
  route('/books', echo);
}

let now = Date.parse('2026-12-07T12:00:00Z');
const lines: string[] = [];
let running: RunningStack;
let base: string;
const authorizerCalls = (token: string) => lines.filter((l) => l.includes(`AUTHORIZER_CALLED ${token}`)).length;

beforeAll(async () => {
  running = await serveStack({ source: synthStack(httpApp), port: 0, clock: () => now, authorizerLimitMs: 2_500, log: (line) => lines.push(line) });
  base = running.apis[0].stageUrls.$default;
  // A warm environment, so that the limit the tests shorten is not spent on a cold start.
  await send(`${base}/uncached`, { headers: { authorization: 'warm' } });
}, 120_000);
afterAll(() => running?.stop());

/** An unsigned JWT for the route's issuer and audience: without --jwks the runner checks claims, not signatures. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part({ iss: 'https://issuer.example', aud: 'app', ...claims })}.c2ln`;
}

describe('JWT claims', () => {
  test('reach the integration as AWS sends them: every value a string, arrays bracketed, objects as maps, nulls left out', async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const token = jwt({ exp, 'email_verified': true, 'cognito:groups': ['admin', 'poweruser'], 'address': { street: 'Main', city: 'Oslo' }, 'gone': null, 'ratio': 0.5 });
    const reply = await send(`${base}/claims`, { headers: { authorization: `Bearer ${token}` } });
    expect(reply.status).toBe(200);
    expect(reply.json().authorizer.jwt).toEqual({
      claims: {
        'iss': 'https://issuer.example',
        'aud': 'app',
        'exp': String(exp),
        'email_verified': 'true',
        'cognito:groups': '[admin poweruser]',
        'address': 'map[city:Oslo street:Main]',
        'ratio': '0.5',
      },
      scopes: null,
    });
    // Payload 1.0 carries the same text.
    const v1 = await send(`${base}/claims-v1`, { headers: { authorization: token } });
    expect(v1.json().authorizer.claims).toMatchObject({ 'exp': String(exp), 'cognito:groups': '[admin poweruser]', 'email_verified': 'true' });
  });
});

describe('Lambda authorizer caching and its time limit', () => {
  test('the answer is cached by identity source for the TTL, across routes; another identity or an expired entry invokes again', async () => {
    expect((await send(`${base}/cached`, { headers: { authorization: 'ann' } })).json().authorizer.lambda).toEqual({ who: 'ann' });
    expect((await send(`${base}/cached-too`, { headers: { authorization: 'ann' } })).status).toBe(200);
    expect(authorizerCalls('ann')).toBe(1);
    // A denial is an answer too: cached.
    expect((await send(`${base}/cached`, { headers: { authorization: 'no' } })).status).toBe(403);
    expect((await send(`${base}/cached`, { headers: { authorization: 'no' } })).status).toBe(403);
    expect(authorizerCalls('no')).toBe(1);
    now += 299_000;
    await send(`${base}/cached`, { headers: { authorization: 'ann' } });
    expect(authorizerCalls('ann')).toBe(1);
    now += 2_000;
    await send(`${base}/cached`, { headers: { authorization: 'ann' } });
    expect(authorizerCalls('ann')).toBe(2);
  });

  test('a TTL of 0 caches nothing', async () => {
    for (let i = 0; i < 3; i++) expect((await send(`${base}/uncached`, { headers: { authorization: 'bob' } })).status).toBe(200);
    expect(authorizerCalls('bob')).toBe(3);
  });

  test('an authorizer past its limit (10 s on AWS, 2.5 s here) answers 500 {"message":"Internal Server Error"}, not waiting for it', async () => {
    const started = Date.now();
    const reply = await send(`${base}/uncached`, { headers: { authorization: 'slow' } });
    expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    // The authorizer sleeps 8 s: the answer came at the limit.
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(lines.some((l) => l.includes('the authorizer did not answer within 2500 ms'))).toBe(true);
  }, 20_000);
});

/** Headers of a GET to `path` of the API, signed by the SDK's signer. */
const signed = (path: string, credentials?: Credentials, date = new Date(now), extra: Record<string, string> = {}) => {
  return signedHeaders(`${base}${path}`, date, credentials, 'eu-west-1', extra);
};

describe('AWS_IAM routes', () => {
  test('a request signed by the SDK with the runner\'s key passes; the caller reaches the event (2.0 authorizer.iam, 1.0 identity)', async () => {
    // A header the client signs that API Gateway also sets (x-forwarded-for): the signature covers the client's.
    const v2 = await send(`${base}/iam`, { headers: await signed('/iam', undefined, new Date(now), { 'x-forwarded-for': '203.0.113.9' }) });
    expect(v2.status).toBe(200);
    expect(v2.json().authorizer.iam).toEqual({
      accessKey: 'AKIALOCALRUNNER00000',
      accountId: expect.stringMatching(/^\d{12}$/),
      callerId: expect.stringMatching(/^AIDA/),
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: expect.stringMatching(/^arn:aws:iam::\d{12}:user\/apigw-local$/),
      userId: expect.stringMatching(/^AIDA/),
    });
    const v1 = await send(`${base}/iam-v1`, { headers: await signed('/iam-v1') });
    expect(v1.json().identity).toMatchObject({ accessKey: 'AKIALOCALRUNNER00000', userArn: expect.stringMatching(/user\/apigw-local$/) });
  });

  test('the banner\'s curl line for an AWS_IAM route signs with --aws-sigv4, and the runner accepts curl\'s signature', async () => {
    const line = banner(running, {}).split('\n').find((l) => l.includes('curl') && l.includes('/iam-v1'))!;
    expect(line).toContain('--aws-sigv4 "aws:amz:eu-west-1:execute-api" --user AKIALOCALRUNNER00000:local-runner-secret');
    // curl signs with the wall clock: the runner's clock follows it for this request.
    now = Date.now();
    const args = line.trim().split(' ').slice(1).map((a) => a.replace(/^"|"$/g, ''));
    const output = await new Promise<string>((resolve, reject) => execFile('curl', ['-s', ...args.filter((a) => a !== '-i')], (error, stdout) => (error ? reject(error) : resolve(stdout))));
    expect(JSON.parse(output).identity).toMatchObject({ accessKey: 'AKIALOCALRUNNER00000' });
  });

  test('no signature, a tampered request, an unknown key, a stale date: 403 with the message API Gateway sends', async () => {
    const forbidden = (reply: { status: number; json(): any }) => [reply.status, reply.json().message];
    expect(forbidden(await send(`${base}/iam`))).toEqual([403, 'Forbidden']);
    // Signed for /iam-v1, sent to /iam: the canonical request differs.
    expect(forbidden(await send(`${base}/iam`, { headers: await signed('/iam-v1') }))).toEqual([
      403, expect.stringMatching(/^The request signature we calculated does not match the signature you provided/),
    ]);
    const stranger = { accessKeyId: 'AKIASOMEONEELSE00000', secretAccessKey: 'theirs' };
    expect(forbidden(await send(`${base}/iam`, { headers: await signed('/iam', stranger) }))).toEqual([403, 'The security token included in the request is invalid.']);
    const stale = await send(`${base}/iam`, { headers: await signed('/iam', undefined, new Date(now - 6 * 60_000)) });
    expect(forbidden(stale)).toEqual([403, expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/)]);
    expect(lines.some((l) => l.includes('AWS_IAM refused: the signature does not match; the canonical request was'))).toBe(true);
  });
});

/** A request written byte by byte, so that its request line and header values have exactly the size a test wants. */
function rawGet(path: string, padBytes: number): Promise<string> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      // Written, not ended: Node.js aborts a request whose client half-closes before the answer; the server closes after it.
      socket.write(`GET ${path} HTTP/1.1\r\nHost: h\r\nX-Pad: ${'a'.repeat(padBytes)}\r\nConnection: close\r\n\r\n`);
    });
    let text = '';
    socket.on('data', (c: Buffer) => text += c.toString('utf8'));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('limits and edges', () => {
  test('request line and header values: 10,240 bytes pass, one more is 431 with a JSON message and a log line', async () => {
    // "GET /books HTTP/1.1" (19) + "h" (1) + "close" (5) + the pad.
    const fixed = 'GET /books HTTP/1.1'.length + 'h'.length + 'close'.length;
    expect(await rawGet('/books', 10_240 - fixed)).toMatch(/^HTTP\/1\.1 200 /);
    const over = await rawGet('/books', 10_240 - fixed + 1);
    expect(over).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(over.slice(over.indexOf('\r\n\r\n') + 4))).toEqual({ message: 'HTTP header is larger than 10240 bytes.' });
    expect(lines.some((l) => l.includes('-> 431 (10241 bytes of request line and header values)'))).toBe(true);
    // Past what Node.js itself parses: still JSON, still logged.
    const huge = await rawGet('/books', 100_000);
    expect(huge).toMatch(/^HTTP\/1\.1 431 [\s\S]*apigw-requestid: [\s\S]*\{"message":"HTTP header is larger than 10240 bytes\."\}$/);
    expect(lines.some((l) => l.includes('a request the runner could not read -> 431 (HPE_HEADER_OVERFLOW)'))).toBe(true);
  });

  test('a Lambda status outside 200-599 is a malformed result: 500, not an interim 1xx that leaves the client waiting', async () => {
    for (const code of ['100', '199', '600']) {
      const reply = await send(`${base}/status/${code}`);
      expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    }
    expect((await send(`${base}/status/204`)).status).toBe(204);
  });

  test('a trailing slash is another path: GET /books/ is 404, as AWS answers HTTP APIs', async () => {
    expect((await send(`${base}/books`)).status).toBe(200);
    const slashed = await send(`${base}/books/`);
    expect([slashed.status, slashed.json()]).toEqual([404, { message: 'Not Found' }]);
  });
});
