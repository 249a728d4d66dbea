import { mkdtempSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningStack, serveStack, synthesizeApp } from '@apigw-blueprints/local';

// The private-alb app as `cdk synth` writes it, served by the local runner.
// Its one integration goes through a VPC link to an ALB listener; locally,
// --target stands in for the load balancer: here, a server the test runs.
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let outdir: string;
let backend: Server;
let backendUrl: string;
const seen: Seen[] = [];

beforeAll(async () => {
  // Synthesized once (as `cdk synth` would, into a folder of the test's own), served twice below.
  outdir = await synthesizeApp(join(__dirname, '..'), () => undefined, mkdtempSync(join(tmpdir(), 'private-alb-app-local-')));
  backend = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(201, { 'content-type': 'application/json', 'x-backend': 'fargate' });
      res.end(JSON.stringify({ from: 'backend' }));
    });
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => backend?.close(resolve));
});

describe('served with --target', () => {
  let running: RunningStack;
  beforeAll(async () => {
    running = await serveStack({ source: outdir, port: 0, targets: { '*': backendUrl }, log: () => undefined });
  });
  afterAll(() => running?.stop());

  test('a request reaches the target with method, path, query and body intact, and the answer comes back', async () => {
    seen.length = 0;
    const res = await fetch(`${running.apis[0].stageUrls.$default}/orders/42/items?expand=price&expand=stock&q=a%20b`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', 'x-client': 'test' },
      body: JSON.stringify({ quantity: 3 }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-backend')).toBe('fargate');
    expect(await res.json()).toEqual({ from: 'backend' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/orders/42/items?expand=price&expand=stock&q=a%20b', body: '{"quantity":3}' });
    expect(seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'x-client': 'test', 'x-forwarded-proto': 'http' });
  });

  test('the $default route takes the root path too', async () => {
    seen.length = 0;
    const res = await fetch(`${running.apis[0].stageUrls.$default}/`);
    expect(res.status).toBe(201);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /']);
  });
});

describe('served without --target', () => {
  test('the private integration answers 503 and the startup warning names the flag', async () => {
    const running = await serveStack({ source: outdir, port: 0, log: () => undefined });
    try {
      const res = await fetch(`${running.apis[0].stageUrls.$default}/orders`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ message: 'Service Unavailable' });
      expect(running.warnings.join('\n')).toMatch(/private integration \(PrivateAlbApiDefaultRouteAlb[0-9A-F]+, through a VPC link\).*--target URL.*--target PrivateAlbApiDefaultRouteAlb[0-9A-F]+=URL/);
    } finally {
      await running.stop();
    }
  });
});
