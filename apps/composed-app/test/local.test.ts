import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningStack, ServedApi, serveStack } from '@apigw-blueprints/local';

// The composed stack as `cdk synth` writes it, served by the local runner:
// two BooksApi, an SfnApi, a WebSocketChat and a PrivateAlbApi side by side,
// each with its own API, table and functions.
let running: RunningStack;

beforeAll(async () => {
  running = await serveStack({ source: join(__dirname, '..'), synthOutdir: mkdtempSync(join(tmpdir(), 'composed-app-local-')), port: 0, log: () => undefined });
}, 180_000);
afterAll(async () => {
  await running?.stop();
});

/** The served HTTP API whose logical id starts with the pattern's construct id. */
function api(constructId: string): ServedApi {
  const found = running.apis.filter((a) => a.logicalId.startsWith(`${constructId}Api`));
  expect(found).toHaveLength(1);
  return found[0];
}

async function call(target: ServedApi, method: string, path: string, body?: unknown) {
  const response = await fetch(`${target.stageUrls.$default}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() as any };
}

test('every pattern is served on its own API; only the private service, reachable through --target, is left unresolved', () => {
  expect(running.apis.map((a) => a.logicalId.replace(/Api[0-9A-F]{8}$/, '')).sort()).toEqual(['Fiction', 'Orders', 'Poetry', 'Service']);
  expect(running.webSocketApis.map((a) => a.logicalId.replace(/Api[0-9A-F]{8}$/, ''))).toEqual(['Chat']);
  expect(api('Fiction').routeKeys.sort()).toEqual(api('Poetry').routeKeys.sort());
  expect(running.tables).toHaveLength(3);
  expect(running.stateMachines.map((m) => m.type).sort()).toEqual(['EXPRESS', 'STANDARD']);
  expect(running.notEmulated).toEqual([]);
  expect(running.unresolved).toEqual([{ where: expect.stringMatching(/^ServiceApiDefaultRouteAlb[0-9A-F]{8}\.IntegrationUri$/), why: expect.stringMatching(/AWS::ElasticLoadBalancingV2::Listener\) has no local value/) }]);
});

test('the two book catalogues keep their books apart: each API writes its own table', async () => {
  const created = await call(api('Fiction'), 'POST', '/books', { title: 'Dune', author: 'Frank Herbert', year: 1965 });
  expect(created.status).toBe(201);
  expect((await call(api('Fiction'), 'GET', `/books/${created.body.id}`)).body).toMatchObject({ title: 'Dune', version: 1 });
  const elsewhere = await call(api('Poetry'), 'GET', `/books/${created.body.id}`);
  expect(elsewhere.status).toBe(404);
  expect((await call(api('Poetry'), 'GET', '/books')).body.items).toEqual([]);
});

test('the order API beside them prices an order through its Express workflow', async () => {
  const { status, body } = await call(api('Orders'), 'POST', '/start-sync', { orderId: 'o-1', items: [{ sku: 'bookmark', quantity: 2 }] });
  expect(status).toBe(200);
  expect(body.status).toBe('SUCCEEDED');
  expect(JSON.parse(body.output)).toMatchObject({ orderId: 'o-1', total: 500 });
});
