import { X509Certificate } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { Agent as HttpAgent, createServer, get as httpGet } from 'node:http';
import { Agent as HttpsAgent, get as httpsGet } from 'node:https';
import { connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { send } from './client';
import { PlainOrTlsPort } from '../src/services/plain-or-tls-port';
import { createLocalTls, LocalTls } from '../src/services/tls/local-certificate-authority';

// The run's certificate authority and the port that speaks TLS and plain HTTP.
let tls: LocalTls;
beforeAll(async () => {
  tls = await createLocalTls();
});
afterAll(() => tls?.remove());

/** A TLS handshake to 127.0.0.1:`port` as `servername`, trusting `ca`: the peer certificate, or the verification error. */
function handshake(port: number, ca: string, servername?: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({ host: '127.0.0.1', port, ca, servername }, () => {
      const cert = socket.getPeerX509Certificate()!;
      socket.end();
      resolve(cert);
    });
    socket.on('error', reject);
  });
}

test('the CA certificate is a CA for 30 days; the server certificate is signed by it for 127.0.0.1, ::1 and localhost only', async () => {
  const ca = new X509Certificate(readFileSync(tls.caFile));
  expect(ca.ca).toBe(true);
  expect(ca.verify(ca.publicKey)).toBe(true);
  const lifeDays = (Date.parse(ca.validTo) - Date.parse(ca.validFrom)) / 86_400_000;
  expect(Math.round(lifeDays)).toBe(30);
  const app = createServer((_req, res) => res.end('ok'));
  const port = new PlainOrTlsPort(app, tls.secureContext);
  const number = await port.listen(0);
  try {
    const served = await handshake(number, readFileSync(tls.caFile, 'utf8'));
    expect(served.ca).toBe(false);
    expect(served.verify(ca.publicKey)).toBe(true);
    expect(served.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(served.checkIP('0:0:0:0:0:0:0:1')).toBeDefined();
    expect(served.checkHost('localhost')).toBe('localhost');
    expect(served.checkHost('example.com')).toBeUndefined();
    expect(served.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    // Another run's CA does not vouch for this one.
    const other = await createLocalTls();
    await expect(handshake(number, readFileSync(other.caFile, 'utf8'))).rejects.toThrow(/certificate/);
    await other.remove();
  } finally {
    await port.close();
  }
});

test('one port answers plain HTTP and TLS; a client that sends nothing and leaves does not reach the server', async () => {
  const app = createServer((req, res) => res.end(`${(req.socket as { encrypted?: boolean }).encrypted ? 'tls' : 'plain'} ${req.url}`));
  let connections = 0;
  app.on('connection', () => connections++);
  const port = new PlainOrTlsPort(app, tls.secureContext);
  const number = await port.listen(0);
  try {
    expect((await send(`http://127.0.0.1:${number}/a`)).text).toBe('plain /a');
    const secure = await new Promise<string>((resolve, reject) => {
      const socket = tlsConnect({ host: '127.0.0.1', port: number, ca: readFileSync(tls.caFile, 'utf8') }, () => socket.end('GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
      let text = '';
      socket.on('data', (c: Buffer) => text += c.toString('utf8'));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(secure).toMatch(/^HTTP\/1\.1 200[\s\S]*tls \/b$/);
    const before = connections;
    await new Promise<void>((resolve) => netConnect(number, '127.0.0.1', function (this: any) {
      this.end();
      this.on('close', () => resolve());
    }));
    expect(connections).toBe(before);
  } finally {
    await port.close();
  }
});

test('close() ends keep-alive connections, plain and TLS, at once', async () => {
  const app = createServer((_req, res) => res.end('ok'));
  app.keepAliveTimeout = 60_000;
  const port = new PlainOrTlsPort(app, tls.secureContext);
  const number = await port.listen(0);
  const ca = readFileSync(tls.caFile, 'utf8');
  const plainAgent = new HttpAgent({ keepAlive: true });
  const secureAgent = new HttpsAgent({ keepAlive: true, ca });
  const get = (url: string, agent: HttpAgent) => new Promise<void>((resolve, reject) => {
    (url.startsWith('https') ? httpsGet : httpGet)(url, { agent }, (res) => res.resume().on('end', resolve)).on('error', reject);
  });
  await get(`http://127.0.0.1:${number}/`, plainAgent);
  await get(`https://127.0.0.1:${number}/`, secureAgent);
  const started = Date.now();
  await port.close();
  expect(Date.now() - started).toBeLessThan(1_000);
  plainAgent.destroy();
  secureAgent.destroy();
});

test('without a TLS identity the port speaks plain HTTP only, and remove() deletes the CA file', async () => {
  const app = createServer((_req, res) => res.end('plain'));
  const port = new PlainOrTlsPort(app);
  const number = await port.listen(0);
  try {
    await expect(handshake(number, readFileSync(tls.caFile, 'utf8'))).rejects.toThrow();
    expect((await send(`http://127.0.0.1:${number}/`)).text).toBe('plain');
  } finally {
    await port.close();
  }
  const made = await createLocalTls();
  expect(existsSync(made.caFile)).toBe(true);
  await made.remove();
  expect(existsSync(made.caFile)).toBe(false);
});
