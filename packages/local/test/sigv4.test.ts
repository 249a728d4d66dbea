import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './sigv4-signer';
import { verifySigV4 } from '../src/integrations/authorizers/sigv4';

// The runner's SigV4 check against requests the AWS SDK's own signer signs:
// awkward paths and queries, bodies, presigned URLs, and what must fail.

const KEY = { accessKeyId: 'AKIATESTKEY000000000', secretAccessKey: 'secret' };
const NOW = Date.parse('2026-12-07T12:00:00Z');

const signer = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials: KEY, sha256: Sha256 });

/** Signs as the SDK does, then hands the check the request as the server would receive it. */
async function signedRequest(method: string, path: string, query: Record<string, string>, body = '') {
  const signed = await signer.sign({
    method, protocol: 'https:', hostname: 'h.example', path, query, headers: { 'host': 'h.example', 'content-type': 'application/json' }, body,
  }, { signingDate: new Date(NOW) });
  // What goes on the wire: the SDK sends the path as built and the query encoded.
  const rawQueryString = Object.entries(query).map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&');
  return { method, rawPath: path, rawQueryString, headers: Object.entries(signed.headers) as Array<[string, string]>, body: Buffer.from(body) };
}

test('requests the SDK signs verify: encoded paths, sorted and escaped queries, a body', async () => {
  const request = await signedRequest('POST', '/books/caf%C3%A9%20au%20lait/a%2Fb', { 'z': '1', 'a': 'x y', 'b*': "it's" }, '{"title":"x"}');
  expect(verifySigV4(request, [KEY], 'eu-west-1', NOW)).toEqual({ ok: true, accessKeyId: KEY.accessKeyId });
});

test('a changed body, method, path, query or header, another region, a late date: each refused, and why', async () => {
  const base = await signedRequest('POST', '/books', { q: '1' }, '{"a":1}');
  const problem = (changed: object, region = 'eu-west-1', now = NOW) => {
    const outcome = verifySigV4({ ...base, ...changed }, [KEY], region, now);
    return outcome.ok ? 'ok' : outcome.problem;
  };
  expect(problem({})).toBe('ok');
  expect(problem({ body: Buffer.from('{"a":2}') })).toBe('mismatch');
  expect(problem({ method: 'PUT' })).toBe('mismatch');
  expect(problem({ rawPath: '/books/' })).toBe('mismatch');
  expect(problem({ rawQueryString: 'q=2' })).toBe('mismatch');
  expect(problem({ headers: base.headers.map(([n, v]) => [n, n === 'content-type' ? 'text/plain' : v]) })).toBe('mismatch');
  expect(problem({}, 'us-east-1')).toBe('mismatch');
  expect(problem({}, 'eu-west-1', NOW + 5 * 60_000 + 1_000)).toBe('expired');
  expect(problem({}, 'eu-west-1', NOW - 5 * 60_000 - 1_000)).toBe('expired');
  expect(problem({ headers: base.headers.filter(([n]) => n !== 'authorization') })).toBe('missing');
  expect(problem({ headers: [...base.headers.filter(([n]) => n !== 'authorization'), ['authorization', 'Bearer x']] })).toBe('malformed');
  expect(verifySigV4(base, [{ ...KEY, accessKeyId: 'AKIAOTHER00000000000' }], 'eu-west-1', NOW)).toMatchObject({ ok: false, problem: 'unknown-key' });
});

test('paths are normalized as the signer normalizes them; a + in the query is a plus; a session token must be the key\'s', async () => {
  for (const path of ['/a//b', '/a/./b', '/a/x/../b/']) {
    expect(verifySigV4(await signedRequest('GET', path, {}), [KEY], 'eu-west-1', NOW)).toMatchObject({ ok: true });
  }
  const plus = await signedRequest('GET', '/q', { q: 'a+b' });
  expect(verifySigV4({ ...plus, rawQueryString: 'q=a+b' }, [KEY], 'eu-west-1', NOW)).toMatchObject({ ok: true });
  expect(verifySigV4({ ...plus, rawQueryString: 'q=a%20b' }, [KEY], 'eu-west-1', NOW)).toMatchObject({ ok: false, problem: 'mismatch' });
  const tokened = new SignatureV4({ service: 'execute-api', region: 'eu-west-1', credentials: { ...KEY, sessionToken: 'other' }, sha256: Sha256 });
  const request = await tokened.sign({ method: 'GET', protocol: 'https:', hostname: 'h.example', path: '/', query: {}, headers: { host: 'h.example' } }, { signingDate: new Date(NOW) });
  const received = { method: 'GET', rawPath: '/', rawQueryString: '', headers: Object.entries(request.headers) as Array<[string, string]>, body: Buffer.alloc(0) };
  expect(verifySigV4(received, [{ ...KEY, sessionToken: 'mine' }], 'eu-west-1', NOW)).toMatchObject({ ok: false, problem: 'unknown-key' });
  expect(verifySigV4(received, [{ ...KEY, sessionToken: 'other' }], 'eu-west-1', NOW)).toMatchObject({ ok: true });
});

test('a URL the SDK presigns verifies until it expires; its signature is left out of the canonical query', async () => {
  const presigned = await signer.presign({
    method: 'GET', protocol: 'wss:', hostname: 'h.example', path: '/dev', query: { room: 'a b' }, headers: { host: 'h.example' },
  }, { signingDate: new Date(NOW), expiresIn: 60 });
  const rawQueryString = Object.entries(presigned.query ?? {}).map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(String(v))}`).join('&');
  const request = { method: 'GET', rawPath: '/dev', rawQueryString, headers: [['host', 'h.example']] as Array<[string, string]>, body: Buffer.alloc(0) };
  expect(verifySigV4(request, [KEY], 'eu-west-1', NOW + 59_000)).toEqual({ ok: true, accessKeyId: KEY.accessKeyId });
  expect(verifySigV4(request, [KEY], 'eu-west-1', NOW + 61_000)).toMatchObject({ ok: false, problem: 'expired' });
  expect(verifySigV4({ ...request, rawQueryString: rawQueryString.replace('room=a%20b', 'room=c') }, [KEY], 'eu-west-1', NOW)).toMatchObject({ ok: false, problem: 'mismatch' });
});
