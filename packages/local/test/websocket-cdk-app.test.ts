import { readFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { Duration, Stack } from 'aws-cdk-lib';
import { CfnIntegration, CfnIntegrationResponse, CfnStage, HttpApi, HttpMethod, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketIamAuthorizer, WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration, WebSocketLambdaIntegration, WebSocketMockIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { synthStack } from './cdk-app';
import { send } from './client';
import { presignedUrl } from './sigv4-signer';
import { waitFor } from './wait';
import { Client, open, Refusal } from './ws-client';
import { banner } from '../src/banner';
import { RunningStack } from '../src/runner/serve-options';
import { serveStack } from '../src/runner/serve-stack';

// A user's WebSocket app built with aws-cdk-lib's own constructs, through real
// ws clients: the documented https @connections endpoint, a $connect Lambda
// authorizer, subprotocols chosen by $connect, a MOCK route, stage throttling.

const AUTHORIZER = `exports.handler = async (event) => {
  console.log('AUTH_EVENT ' + JSON.stringify(event));
  const token = event.headers.Auth;
  if (token === 'throw') throw new Error('Unauthorized');
  if (token === 'crash') throw new Error('database down');
  if (token === 'broken') return { allowed: true };
  if (token === 'nested') return { principalId: 'x', policyDocument: allow(event.methodArn, 'Allow'), context: { roles: ['a'] } };
  return { principalId: 'user-' + token, policyDocument: allow(event.methodArn, token === 'deny' ? 'Deny' : 'Allow'), context: { team: 'blue', level: 3, admin: true } };
};
const allow = (resource, effect) => ({ Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }] });`;

// AWS's subprotocol example: answer with the protocol it supports; the query string lets a test make it answer otherwise.
const CONNECT = `exports.handler = async (event) => {
  console.log('CONNECT_EVENT ' + JSON.stringify(event));
  const q = event.queryStringParameters || {};
  if (q.answer !== undefined) return { statusCode: 200, headers: q.answer ? { 'Sec-WebSocket-Protocol': q.answer } : {} };
  const offered = Object.entries(event.headers).filter(([n]) => n.toLowerCase() === 'sec-websocket-protocol').flatMap(([, v]) => v.split(','));
  return offered.map((p) => p.trim()).includes('myprotocol') ? { statusCode: 200, headers: { 'Sec-WebSocket-Protocol': 'myprotocol' } } : { statusCode: 200 };
};`;

// What most WebSocket handlers in the wild do: the endpoint from the event, an SDK client as it comes.
const POST_BACK = `const { ApiGatewayManagementApiClient, PostToConnectionCommand } = require('@aws-sdk/client-apigatewaymanagementapi');
exports.handler = async (event) => {
  const { domainName, stage, connectionId, authorizer, routeKey } = event.requestContext;
  const client = new ApiGatewayManagementApiClient({ endpoint: \`https://\${domainName}/\${stage}\` });
  await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: JSON.stringify({ via: 'https', routeKey, authorizer, body: event.body }) }));
  return { statusCode: 200 };
};`;

// An HTTP API handler that follows a link to its own API, as handlers that build https://\${domainName} links do.
const HTTP_LINKS = `const https = require('node:https');
exports.handler = async (event) => {
  const self = 'https://' + event.requestContext.domainName + '/self';
  if (event.rawPath === '/self') return { statusCode: 200, body: JSON.stringify({ self, proto: event.headers['x-forwarded-proto'], port: event.headers['x-forwarded-port'] }) };
  const fetched = await new Promise((resolve, reject) => https.get(self, (res) => {
    let body = '';
    res.on('data', (c) => body += c);
    res.on('end', () => resolve({ status: res.statusCode, body }));
  }).on('error', reject));
  return { statusCode: 200, body: JSON.stringify(fetched) };
};`;

const MOCK_REQUEST = '{"statusCode": #if($input.path(\'$.fail\'))500#{else}200#end}';

function fn(stack: Stack, id: string, source: string): LambdaFunction {
  return new LambdaFunction(stack, id, { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline(source), timeout: Duration.seconds(10) });
}

function webSocketApp(stack: Stack): void {
  const api = new WebSocketApi(stack, 'Chat', {
    connectRouteOptions: {
      integration: new WebSocketLambdaIntegration('Connect', fn(stack, 'ConnectFn', CONNECT)),
      authorizer: new WebSocketLambdaAuthorizer('Auth', fn(stack, 'AuthFn', AUTHORIZER), {
        identitySource: ['route.request.header.Auth', 'route.request.querystring.room'],
      }),
    },
    defaultRouteOptions: { integration: new WebSocketLambdaIntegration('PostBack', fn(stack, 'PostBackFn', POST_BACK)) },
  });
  // aws-cdk-lib's own README example of WebSocketMockIntegration, word for word.
  api.addRoute('cdkexample', {
    integration: new WebSocketMockIntegration('DefaultIntegration', {
      requestTemplates: { 'application/json': JSON.stringify({ statusCode: 200 }) },
      templateSelectionExpression: '\\$default',
    }),
    returnResponse: true,
  });
  api.addRoute('mock', {
    integration: new WebSocketMockIntegration('Mock', {
      requestTemplates: { $default: MOCK_REQUEST },
      templateSelectionExpression: '\\$default',
    }),
    returnResponse: true,
  });
  new WebSocketStage(stack, 'Dev', { webSocketApi: api, stageName: 'dev', autoDeploy: true });
  const mocks = api.node.findAll().filter((c): c is CfnIntegration => c instanceof CfnIntegration && c.integrationType === 'MOCK');
  const mock = mocks.find((c) => JSON.stringify(c.requestTemplates).includes('fail'))!;
  new CfnIntegrationResponse(stack, 'CdkExampleDefault', {
    apiId: api.apiId, integrationId: mocks.find((c) => c !== mock)!.ref, integrationResponseKey: '$default', responseTemplates: { $default: '{"example": "$context.routeKey"}' },
  });
  new CfnIntegrationResponse(stack, 'MockOk', {
    apiId: api.apiId,
    integrationId: mock.ref,
    integrationResponseKey: '/2\\d\\d/',
    responseTemplates: {
      $default: '{"ok": true, "connectionId": "$context.connectionId", "route": "$context.routeKey", "input": "$input.body", "principal": "$context.authorizer.principalId"}',
    },
  });
  new CfnIntegrationResponse(stack, 'MockOther', {
    apiId: api.apiId, integrationId: mock.ref, integrationResponseKey: '$default', responseTemplates: { $default: '{"ok": false}' },
  });
  const http = new HttpApi(stack, 'Links');
  const links = new HttpLambdaIntegration('Links', fn(stack, 'LinksFn', HTTP_LINKS));
  http.addRoutes({ path: '/self', methods: [HttpMethod.GET], integration: links });
  http.addRoutes({ path: '/follow', methods: [HttpMethod.GET], integration: links });
}

const lines: string[] = [];
const logged = (prefix: string) => lines.filter((l) => l.includes(`${prefix} `)).map((l) => JSON.parse(l.slice(l.indexOf(`${prefix} `) + prefix.length + 1)));
let running: RunningStack;
let url: string;
const USER = { Auth: 'alice' };

beforeAll(async () => {
  running = await serveStack({ source: synthStack(webSocketApp), port: 0, log: (line) => lines.push(line) });
  url = `${running.webSocketApis[0].stageUrls.dev}?room=1`;
}, 120_000);
afterAll(() => running?.stop());

/** GET over https, trusting `ca` only. */
function httpsText(target: string, ca?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    httpsGet(target, { ca: ca ?? [] as any }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => text += c.toString('utf8'));
      res.on('end', () => resolve({ status: res.statusCode!, text }));
    }).on('error', reject);
  });
}

async function refusal(connecting: Promise<Client>): Promise<Refusal> {
  const error = await connecting.then(() => undefined, (e: Refusal) => e);
  if (!error) throw new Error('the handshake was accepted');
  return error;
}

describe('the documented https://${domainName}/${stage} endpoint', () => {
  test('a handler posts through @connections with an unmodified SDK client; the authorizer\'s context reaches every event', async () => {
    const client = await open(url, USER);
    client.socket.send('hello');
    const frame = JSON.parse(await client.next());
    expect(frame).toMatchObject({ via: 'https', routeKey: '$default', body: 'hello' });
    expect(frame.authorizer).toMatchObject({ principalId: 'user-alice', team: 'blue', level: '3', admin: 'true' });
    expect(typeof frame.authorizer.integrationLatency).toBe('number');
    const connect = logged('CONNECT_EVENT').at(-1);
    expect(connect.requestContext.authorizer).toMatchObject({ principalId: 'user-alice', team: 'blue' });
    client.socket.close();
  }, 30_000);

  test('curl --cacert FILE: the port answers https with a certificate for 127.0.0.1 from the CA the banner names, and plain http still', async () => {
    const client = await open(url, USER);
    client.socket.send('who');
    await client.next();
    const port = running.webSocketApis[0].port;
    const id = running.webSocketApis[0].server.connectionIds().at(-1)!;
    const ca = readFileSync(running.caFile, 'utf8');
    expect(banner(running, {})).toContain(`curl --cacert ${running.caFile}, wscat --ca ${running.caFile}`);
    const described = await httpsText(`https://127.0.0.1:${port}/dev/@connections/${encodeURIComponent(id)}`, ca);
    expect(described.status).toBe(200);
    expect(JSON.parse(described.text)).toHaveProperty('connectedAt');
    // Without the CA the certificate does not verify: it is real TLS, not a pass-through.
    await expect(httpsText(`https://127.0.0.1:${port}/dev/@connections/${encodeURIComponent(id)}`)).rejects.toThrow(/self[- ]signed|unable to verify|local issuer/i);
    expect((await send(`http://127.0.0.1:${port}/dev/@connections/${encodeURIComponent(id)}`)).status).toBe(200);
    // wss:// reaches the same stage.
    const secure = await open(`wss://127.0.0.1:${port}/dev?room=1`, USER, { ca });
    secure.socket.send('over wss');
    expect(JSON.parse(await secure.next())).toMatchObject({ body: 'over wss' });
    secure.socket.close();
    client.socket.close();
  }, 30_000);

  test('an HTTP API handler follows its own https://${domainName} link', async () => {
    const base = running.apis[0].stageUrls.$default;
    const port = String(running.apis[0].port);
    const plain = (await send(`${base}/self`)).json();
    expect(plain).toEqual({ self: `https://127.0.0.1:${port}/self`, proto: 'http', port });
    const followed = (await send(`${base}/follow`)).json();
    expect(followed).toEqual({ status: 200, body: JSON.stringify({ self: plain.self, proto: 'https', port }) });
    expect(JSON.parse((await httpsText(plain.self, readFileSync(running.caFile, 'utf8'))).text)).toEqual({ self: plain.self, proto: 'https', port });
  }, 30_000);
});

describe('a $connect Lambda authorizer', () => {
  const invocations = () => logged('AUTH_EVENT').length;

  test('gets the REQUEST event with the $connect method ARN, and is invoked on every handshake (no caching)', async () => {
    const before = invocations();
    for (let i = 0; i < 3; i++) (await open(url, USER)).socket.close();
    expect(invocations()).toBe(before + 3);
    const event = logged('AUTH_EVENT').at(-1);
    expect(event).toMatchObject({ type: 'REQUEST', headers: { Auth: 'alice' }, queryStringParameters: { room: '1' }, requestContext: { routeKey: '$connect', eventType: 'CONNECT' } });
    expect(event.methodArn).toMatch(/^arn:aws:execute-api:eu-west-1:\d{12}:[a-z0-9]+\/dev\/\$connect$/);
  }, 30_000);

  test('a missing identity source is 401 without an invocation', async () => {
    const before = invocations();
    expect((await refusal(open(url, {}))).status).toBe(401);
    expect((await refusal(open(running.webSocketApis[0].stageUrls.dev, USER))).status).toBe(401);
    expect((await refusal(open(`${running.webSocketApis[0].stageUrls.dev}?room=`, USER))).status).toBe(401);
    expect(invocations()).toBe(before);
  }, 30_000);

  test('a denying policy is 403, "Unauthorized" thrown is 401, any other failure or answer is 500; $connect never runs', async () => {
    const connects = logged('CONNECT_EVENT').length;
    const deny = await refusal(open(url, { Auth: 'deny' }));
    expect(deny.status).toBe(403);
    expect(JSON.parse(deny.body)).toEqual({ message: 'Forbidden' });
    expect((await refusal(open(url, { Auth: 'throw' }))).status).toBe(401);
    expect((await refusal(open(url, { Auth: 'crash' }))).status).toBe(500);
    expect((await refusal(open(url, { Auth: 'broken' }))).status).toBe(500);
    expect((await refusal(open(url, { Auth: 'nested' }))).status).toBe(500);
    expect(lines.some((l) => l.includes('context.roles is an object or an array'))).toBe(true);
    expect(logged('CONNECT_EVENT').length).toBe(connects);
  }, 30_000);
});

describe('subprotocols', () => {
  test('the $connect function\'s Sec-WebSocket-Protocol answer is the connection\'s protocol, not the first one asked', async () => {
    const client = await open(url, USER, { protocols: ['chat1', 'myprotocol'] });
    expect(client.socket.protocol).toBe('myprotocol');
    client.socket.close();
    const plain = await open(url, USER);
    expect(plain.socket.protocol).toBe('');
    plain.socket.close();
  }, 30_000);

  test('no answer while the client asked, an answer it did not ask for, or one when it asked none: the client fails the handshake', async () => {
    await expect(open(`${url}&answer=`, USER, { protocols: ['chat1'] })).rejects.toThrow('Server sent no subprotocol');
    await expect(open(`${url}&answer=other`, USER, { protocols: ['chat1'] })).rejects.toThrow('Server sent an invalid subprotocol');
    await expect(open(`${url}&answer=chat1`, USER)).rejects.toThrow('Server sent a subprotocol but none was requested');
    // A value that is not one protocol name never reaches the handshake response.
    expect((await refusal(open(`${url}&answer=${encodeURIComponent('a b')}`, USER, { protocols: ['a'] }))).status).toBe(500);
  }, 30_000);
});

describe('a MOCK route', () => {
  test('the status the request template renders selects the integration response, whose template answers', async () => {
    const before = new Set(running.webSocketApis[0].server.connectionIds());
    const client = await open(url, USER);
    const id = running.webSocketApis[0].server.connectionIds().find((c) => !before.has(c));
    client.socket.send(JSON.stringify({ action: 'mock' }));
    expect(JSON.parse(await client.next())).toEqual({ ok: true, connectionId: id, route: 'mock', input: '', principal: 'user-alice' });
    client.socket.send(JSON.stringify({ action: 'mock', fail: true }));
    expect(JSON.parse(await client.next())).toEqual({ ok: false });
    // No template for the selection key ($default): passed through, the default integration response answers.
    client.socket.send(JSON.stringify({ action: 'cdkexample' }));
    expect(JSON.parse(await client.next())).toEqual({ example: 'cdkexample' });
    client.socket.close();
    expect(running.notEmulated.filter((n) => /MOCK/.test(n.what))).toEqual([]);
  }, 30_000);
});

describe('$connect with AWS_IAM, with an authorizer the runner cannot run, and a $connect MOCK without templates', () => {
  let refusing: RunningStack;
  const out: string[] = [];
  const stageUrl = (name: string) => refusing.webSocketApis.find((a) => a.name === name)!.stageUrls.dev;

  beforeAll(async () => {
    const outdir = synthStack((stack) => {
      const connect = fn(stack, 'Connect', CONNECT);
      const python = new LambdaFunction(stack, 'PythonAuth', { runtime: Runtime.PYTHON_3_12, handler: 'index.handler', code: Code.fromInline('def handler(e, c):\n  return {}') });
      const apis = [
        new WebSocketApi(stack, 'Iam', { connectRouteOptions: { integration: new WebSocketLambdaIntegration('Iam', connect), authorizer: new WebSocketIamAuthorizer() } }),
        new WebSocketApi(stack, 'Python', {
          connectRouteOptions: { integration: new WebSocketLambdaIntegration('Python', connect), authorizer: new WebSocketLambdaAuthorizer('Python', python) },
        }),
        new WebSocketApi(stack, 'Mocked', { connectRouteOptions: { integration: new WebSocketMockIntegration('Mocked') } }),
      ];
      apis.forEach((api) => new WebSocketStage(stack, `${api.node.id}Dev`, { webSocketApi: api, stageName: 'dev', autoDeploy: true }));
    });
    refusing = await serveStack({ source: outdir, port: 0, log: (line) => out.push(line) });
  }, 120_000);
  afterAll(() => refusing?.stop());

  test('an authorizer whose function does not run here: the handshake is refused with 500, listed as not emulated; $connect never runs', async () => {
    expect((await refusal(open(stageUrl('Python'), USER))).status).toBe(500);
    expect(out.some((l) => l.includes('CONNECT_EVENT'))).toBe(false);
    expect(refusing.notEmulated.map((n) => n.what)).toEqual(expect.arrayContaining([expect.stringMatching(/^the authorizer Python: .*python3\.12/)]));
    expect(refusing.notEmulated.map((n) => n.what)).not.toContain('AWS_IAM authorization of a WebSocket route');
  }, 30_000);

  test('AWS_IAM: an unsigned or stale handshake is 403; a URL presigned by the SDK with the runner\'s key connects, its caller in the events', async () => {
    expect((await refusal(open(stageUrl('Iam')))).status).toBe(403);
    expect((await refusal(open(await presignedUrl(stageUrl('Iam'), new Date(Date.now() - 10 * 60_000))))).status).toBe(403);
    expect(out.some((l) => l.includes('CONNECT_EVENT'))).toBe(false);
    const client = await open(await presignedUrl(`${stageUrl('Iam')}?room=a b`, new Date()));
    client.socket.close();
    const event = JSON.parse(out.find((l) => l.includes('CONNECT_EVENT'))!.split('CONNECT_EVENT ')[1]);
    expect(event.requestContext.identity).toMatchObject({ accessKey: 'AKIALOCALRUNNER00000', userArn: expect.stringMatching(/user\/apigw-local$/) });
  }, 30_000);

  test('a $connect MOCK with no request template answers the default: the handshake is accepted', async () => {
    const client = await open(stageUrl('Mocked'));
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.socket.close();
  }, 30_000);
});

describe('stage throttling', () => {
  let now = 0;
  let throttled: RunningStack;
  const throttledLines: string[] = [];

  beforeAll(async () => {
    const outdir = synthStack((stack) => {
      const api = new WebSocketApi(stack, 'Chat', {
        disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('Gone', fn(stack, 'Gone', 'exports.handler = async (e) => { console.log("GONE " + e.requestContext.connectionId); return {}; };')) },
        defaultRouteOptions: { integration: new WebSocketLambdaIntegration('Echo', fn(stack, 'Echo', 'exports.handler = async (e) => ({ statusCode: 200, body: e.body });')), returnResponse: true },
      });
      api.addRoute('slow', { integration: new WebSocketLambdaIntegration('Slow', fn(stack, 'Slow', 'exports.handler = async () => ({ statusCode: 200, body: "slow" });')), returnResponse: true });
      const stage = new WebSocketStage(stack, 'Dev', { webSocketApi: api, stageName: 'dev', autoDeploy: true, throttle: { burstLimit: 2, rateLimit: 1 } });
      (stage.node.defaultChild as CfnStage).addPropertyOverride('RouteSettings', { slow: { ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0.5 } });
    });
    const template = JSON.parse(readFileSync(`${outdir}/UserApp.template.json`, 'utf8'));
    const stage: any = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1 });
    throttled = await serveStack({ source: outdir, port: 0, clock: () => now, log: (line) => throttledLines.push(line) });
  }, 120_000);
  afterAll(() => throttled?.stop());

  test('$connect over the limit is refused with 429; a token later, it is accepted', async () => {
    const stageUrl = throttled.webSocketApis[0].stageUrls.dev;
    const first = await open(stageUrl);
    const second = await open(stageUrl);
    const third = await refusal(open(stageUrl));
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toEqual({ message: 'Too Many Requests' });
    now += 1000;
    (await open(stageUrl)).socket.close();
    first.socket.close();
    second.socket.close();
    // Three disconnects at one instant, past the stage's burst of 2: $disconnect is never throttled.
    await waitFor(() => throttledLines.filter((l) => l.includes('GONE ')).length === 3, 'three $disconnect invocations');
  }, 30_000);

  test('a message over its route\'s limit gets the Too Many Requests frame without reaching the integration; the connection stays open', async () => {
    now += 10_000;
    const before = new Set(throttled.webSocketApis[0].server.connectionIds());
    const client = await open(throttled.webSocketApis[0].stageUrls.dev);
    const id = throttled.webSocketApis[0].server.connectionIds().find((c) => !before.has(c));
    for (const text of ['a', 'b']) {
      client.socket.send(text);
      expect(await client.next()).toBe(text);
    }
    client.socket.send('c');
    const frame = JSON.parse(await client.next());
    expect(frame).toEqual({ message: 'Too Many Requests', connectionId: id, requestId: expect.any(String) });
    // RouteSettings: the slow route has a bucket of its own, of one.
    client.socket.send(JSON.stringify({ action: 'slow' }));
    expect(await client.next()).toBe('slow');
    client.socket.send(JSON.stringify({ action: 'slow' }));
    expect(JSON.parse(await client.next()).message).toBe('Too Many Requests');
    now += 1000;
    client.socket.send('d');
    expect(await client.next()).toBe('d');
    expect(client.socket.readyState).toBe(client.socket.OPEN);
    client.socket.close();
    await waitFor(() => throttled.webSocketApis[0].server.connectionIds().length === 0, 'the connection to end');
  }, 30_000);
});
