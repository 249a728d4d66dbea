// Function code loaded as Lambda loads it, on an app built with aws-cdk-lib's
// own constructs: ES modules and top-level await, the runtime's SDK from both
// module systems, NodejsFunction bundles in both formats, layers, versions
// and aliases, inline and zip code, and Lambda's 6 MB payload limits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Stack } from 'aws-cdk-lib';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Repository } from 'aws-cdk-lib/aws-ecr';
import { Alias, Code, Function as LambdaFunction, FunctionProps, Handler, IFunction, LayerVersion, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { codeFolder, synthStack } from './cdk-app';
import { send } from './client';
import { tempDir } from './temp-dirs';
import { RunningStack } from '../src/runner/serve-options';
import { serveStack } from '../src/runner/serve-stack';

const ESM_TOP_LEVEL_AWAIT = `
import { setTimeout as sleep } from 'node:timers/promises';
const loaded = await sleep(50, 'awaited at the top level');
export const handler = async () => ({ statusCode: 200, body: loaded });`;
const ESM_SDK = `
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const client = new DynamoDBClient({});
export const handler = async () => {
  await client.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { pk: { S: 'esm' }, v: { S: 'put by an ES module' } } }));
  const { Item } = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: process.env.TABLE, Key: { pk: 'esm' } }));
  return { statusCode: 200, body: Item.v };
};`;
const CJS_SDK = `
const { DynamoDBClient, PutItemCommand } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async () => {
  await client.send(new PutItemCommand({ TableName: process.env.TABLE, Item: { pk: { S: 'cjs' }, v: { S: 'put by a CommonJS module' } } }));
  const { Item } = await DynamoDBDocumentClient.from(client).send(new GetCommand({ TableName: process.env.TABLE, Key: { pk: 'cjs' } }));
  return { statusCode: 200, body: Item.v };
};`;
// A TypeScript entry as NodejsFunction bundles it (the SDK left out of the bundle, as its default for Node.js 18+).
const BUNDLED_ENTRY = `
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
const client = new DynamoDBClient({});
export const handler = async () => {
  const { Table } = await client.send(new DescribeTableCommand({ TableName: process.env.TABLE! }));
  return { statusCode: 200, body: process.env._HANDLER + ' ' + Table!.TableStatus };
};`;
const LAYERED_CJS = `
exports.handler = async () => ({ statusCode: 200, body: JSON.stringify({
  greet: require('greet')('layer'), which: require('shared/which'), ver: require('ver'),
}) });`;
const LAYERED_ESM = `
import greet from 'greet';
import which from 'shared/which.js';
export const handler = async () => ({ statusCode: 200, body: JSON.stringify({ greet: greet('esm'), which }) });`;
const REPORTS_VERSION = `
exports.handler = async (event, context) => ({ statusCode: 200, body: JSON.stringify({
  invoked: context.invokedFunctionArn, version: process.env.AWS_LAMBDA_FUNCTION_VERSION, functionVersion: context.functionVersion,
}) });`;
// Echoes the size of the body it got, or answers a body of ?out bytes.
const SIZES = `
exports.handler = async (event) => {
  const out = Number(event.queryStringParameters?.out ?? 0);
  return { statusCode: 200, body: out ? 'x'.repeat(out) : String((event.body ?? '').length) };
};`;
const MB = 1024 * 1024;

describe('function code as Lambda loads it', () => {
  const lines: string[] = [];
  let running: RunningStack;
  let base: string;
  let outer: string;
  let assets: { corrupt: string; escaping: string };

  beforeAll(async () => {
    // The cdk.out sits under a folder whose node_modules holds a package the functions do not bundle.
    outer = tempDir();
    writeFiles(join(outer, 'node_modules', 'leaked'), { 'package.json': '{"name":"leaked","main":"index.js"}', 'index.js': 'module.exports = "from the repository";' });
    const zips = tempDir();
    const good = zipOf(join(zips, 'good.zip'), { 'index.js': 'exports.handler = async () => ({ statusCode: 200, body: "from a zip" });', 'lib/data.txt': 'beside' });
    const escaping = zipOf(join(zips, 'escaping.zip'), { 'index.js': 'exports.handler = async () => ({ statusCode: 200 });', '../evil.js': 'pwned' });
    const corrupt = join(zips, 'corrupt.zip');
    writeFileSync(corrupt, Buffer.from('PK\u0003\u0004 not a zip at all'));
    const layerZip = zipOf(join(zips, 'layer-b.zip'), { 'nodejs/node_modules/shared/which.js': 'module.exports = "second layer";' });
    // Each link alone stays inside; chained, a/b/c is the folder above the code's.
    const linked = zipOf(join(zips, 'linked.zip'), { 'index.js': 'exports.handler = async () => ({ statusCode: 200 });', 'a/b': { link: '..' }, 'a/b/c': { link: '..' }, 'a/b/c/escaped.txt': 'out' });
    const linkOut = zipOf(join(zips, 'link-out.zip'), { 'index.js': 'exports.handler = async () => ({ statusCode: 200 });', 'up': { link: '../..' } });

    const cdkOut = synthStack((stack: Stack) => {
      const api = new HttpApi(stack, 'Api');
      const route = (path: string, target: IFunction, method = HttpMethod.GET) => api.addRoutes({
        path, methods: [method], integration: new HttpLambdaIntegration(`Route${path.replace(/\W/g, '')}`, target),
      });
      const fn = (id: string, files: Record<string, string>, props: Partial<FunctionProps> = {}) => new LambdaFunction(stack, id, {
        runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(codeFolder(files)), ...props,
      });
      const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, billingMode: BillingMode.PAY_PER_REQUEST });
      const environment = { TABLE: table.tableName };

      route('/esm-tla', fn('EsmTopLevelAwait', { 'index.mjs': ESM_TOP_LEVEL_AWAIT }));
      route('/esm-sdk', fn('EsmSdk', { 'index.mjs': ESM_SDK }, { environment }));
      route('/cjs-sdk', fn('CjsSdk', { 'index.js': CJS_SDK }, { environment }));
      route('/type-module', fn('TypeModule', { 'package.json': '{"type":"module"}', 'index.js': 'export const handler = async () => ({ statusCode: 200, body: "type module" });' }));
      // On nodejs24.x Lambda leaves require() of ES modules on: the handler must still load as an ES module, with the SDK.
      route('/type-module-24', fn('TypeModule24', { 'package.json': '{"type":"module"}', 'index.js': ESM_SDK }, { runtime: Runtime.NODEJS_24_X, environment }));
      route('/leak-esm', fn('LeakEsm', { 'index.mjs': 'import leaked from "leaked"; export const handler = async () => ({ statusCode: 200, body: leaked });' }));
      route('/leak-cjs', fn('LeakCjs', { 'index.js': 'const leaked = require("leaked"); exports.handler = async () => ({ statusCode: 200, body: leaked });' }));

      const project = codeFolder({ 'package.json': '{"name":"bundled","private":true}', 'package-lock.json': '{"lockfileVersion":3,"packages":{}}', 'handler.ts': BUNDLED_ENTRY });
      // NodejsFunction runs `npx --no-install esbuild` in the project: the repository's esbuild.
      symlinkSync(join(__dirname, '..', '..', '..', 'node_modules'), join(project, 'node_modules'), 'dir');
      for (const [id, format] of [['BundledEsm', OutputFormat.ESM], ['BundledCjs', OutputFormat.CJS]] as const) {
        route(`/${id.toLowerCase()}`, new NodejsFunction(stack, id, {
          runtime: Runtime.NODEJS_22_X,
          entry: join(project, 'handler.ts'),
          projectRoot: project,
          depsLockFilePath: join(project, 'package-lock.json'),
          environment,
          bundling: { format, forceDockerBundling: false },
        }));
      }

      const layerA = new LayerVersion(stack, 'LayerA', {
        code: Code.fromAsset(codeFolder({
          'nodejs/node_modules/greet/package.json': '{"name":"greet","main":"index.js"}',
          'nodejs/node_modules/greet/index.js': 'module.exports = (n) => "hello " + n;',
          'nodejs/node_modules/shared/which.js': 'module.exports = "first layer";',
          'nodejs/node_modules/ver/index.js': 'module.exports = "any Node.js";',
          'nodejs/node20/node_modules/ver/index.js': 'module.exports = "Node.js 20";',
        })),
      });
      const layerB = new LayerVersion(stack, 'LayerB', { code: Code.fromAsset(layerZip) });
      route('/layers-cjs', fn('LayeredCjs', { 'index.js': LAYERED_CJS }, { runtime: Runtime.NODEJS_20_X, layers: [layerA, layerB] }));
      route('/layers-esm', fn('LayeredEsm', { 'index.mjs': LAYERED_ESM }, { layers: [layerA, layerB] }));
      route('/layers-reversed', fn('LayeredReversed', { 'index.js': LAYERED_CJS }, { layers: [layerB, layerA] }));

      const versioned = fn('Versioned', { 'index.js': REPORTS_VERSION });
      route('/latest', versioned);
      route('/version', versioned.currentVersion);
      route('/alias', new Alias(stack, 'Live', { aliasName: 'live', version: versioned.currentVersion }));

      route('/inline', new LambdaFunction(stack, 'Inline', {
        runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "inline" });'),
      }));
      route('/inline-app', new LambdaFunction(stack, 'InlineApp', {
        runtime: Runtime.NODEJS_22_X, handler: 'app.handler', code: Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
      }));
      route('/zip', new LambdaFunction(stack, 'Zipped', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(good) }));
      route('/corrupt', new LambdaFunction(stack, 'Corrupt', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(corrupt) }));
      route('/escaping', new LambdaFunction(stack, 'Escaping', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(escaping) }));
      route('/linked', new LambdaFunction(stack, 'Linked', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(linked) }));
      route('/link-out', new LambdaFunction(stack, 'LinkOut', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromAsset(linkOut) }));
      const corruptLayer = new LayerVersion(stack, 'CorruptLayer', { code: Code.fromAsset(corrupt) });
      route('/corrupt-layer', fn('CorruptLayered', { 'index.js': 'exports.handler = async () => ({ statusCode: 200 });' }, { layers: [corruptLayer] }));
      route('/outside', fn('Outside', { 'index.js': 'exports.handler = async () => ({ statusCode: 200 });' }, { handler: '../outside.handler' }));
      route('/image', new LambdaFunction(stack, 'Image', {
        runtime: Runtime.FROM_IMAGE, handler: Handler.FROM_IMAGE, code: Code.fromEcrImage(Repository.fromRepositoryName(stack, 'Repo', 'functions')),
      }));
      const foreign = LayerVersion.fromLayerVersionArn(stack, 'Foreign', 'arn:aws:lambda:eu-west-1:999999999999:layer:foreign:3');
      route('/foreign-layer', fn('ForeignLayer', { 'index.js': 'exports.handler = async () => ({ statusCode: 200 });' }, { layers: [foreign] }));
      route('/missing', fn('MissingAsset', { 'index.js': '// missing-asset-marker\nexports.handler = async () => ({ statusCode: 200 });' }));

      const sizes = fn('Sizes', { 'index.js': SIZES }, { memorySize: 1024 });
      route('/sizes', sizes, HttpMethod.POST);
      route('/sizes', sizes);
    }, 'eu-west-1', join(outer, 'cdk.out'));
    // An asset deleted after synth, as when cdk.out is cleaned by hand.
    const missing = readdirSync(cdkOut).map((n) => join(cdkOut, n)).find((p) => existsSync(join(p, 'index.js')) && readFileSync(join(p, 'index.js'), 'utf8').includes('missing-asset-marker'));
    rmSync(missing!, { recursive: true });
    assets = {
      corrupt: readdirSync(cdkOut).find((n) => n.endsWith('.zip') && readFileSync(join(cdkOut, n)).includes('not a zip at all'))!,
      escaping: readdirSync(cdkOut).find((n) => n.endsWith('.zip') && readFileSync(join(cdkOut, n)).includes('evil.js'))!,
    };
    running = await serveStack({ source: cdkOut, port: 0, log: (line) => lines.push(line) });
    base = running.apis[0].stageUrls.$default;
  }, 120_000);

  afterAll(() => running?.stop());

  test('an ES module handler (.mjs) with top-level await answers', async () => {
    const reply = await send(`${base}/esm-tla`);
    expect([reply.status, reply.text]).toEqual([200, 'awaited at the top level']);
  });

  test('a .js handler under "type": "module" loads as an ES module, with the runtime\'s SDK, whatever the runtime does with require() of ES modules', async () => {
    expect(await text(`${base}/type-module`)).toEqual([200, 'type module']);
    expect(await text(`${base}/type-module-24`)).toEqual([200, 'put by an ES module']);
  });

  test.each([['esm', 'put by an ES module'], ['cjs', 'put by a CommonJS module']])('%s code imports the runtime\'s SDK (client and lib-dynamodb) and reaches the table', async (kind, put) => {
    const reply = await send(`${base}/${kind}-sdk`);
    expect([reply.status, reply.text]).toEqual([200, put]);
    const table = running.tables[0].table.name;
    const client = new DynamoDBClient({ endpoint: running.dynamoDbEndpoint, region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { Item } = await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: kind } } }));
    expect(Item?.v).toEqual({ S: put });
  });

  test.each([['bundledesm', 'index.mjs'], ['bundledcjs', 'index.js']])('a NodejsFunction bundle (/%s, %s) runs with the runtime\'s SDK', async (path, file) => {
    const fn = running.functions.find((f) => f.logicalId.toLowerCase().startsWith(path))!;
    const code = (fn.code as { dir: string }).dir;
    expect(readdirSync(code)).toEqual([file]);
    const reply = await send(`${base}/${path}`);
    expect([reply.status, reply.text]).toEqual([200, 'index.handler ACTIVE']);
  });

  test.each(['leak-esm', 'leak-cjs'])('%s: a package only in a node_modules above the code is not found, as on Lambda (Runtime.ImportModuleError)', async (path) => {
    const reply = await send(`${base}/${path}`);
    expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    const name = path === 'leak-esm' ? 'LeakEsm' : 'LeakCjs';
    expect(lines.some((l) => l.includes(name) && l.includes('Runtime.ImportModuleError') && l.includes('leaked'))).toBe(true);
  });

  test('layers: nodejs/node<major>/node_modules before nodejs/node_modules, merged in the function\'s order (a later layer\'s file wins), from CommonJS and ES modules', async () => {
    expect((await send(`${base}/layers-cjs`)).json()).toEqual({ greet: 'hello layer', which: 'second layer', ver: 'Node.js 20' });
    expect((await send(`${base}/layers-esm`)).json()).toEqual({ greet: 'hello esm', which: 'second layer' });
    // Node.js 22: no node20 folder applies; the layers in the other order: the first layer's file wins.
    expect((await send(`${base}/layers-reversed`)).json()).toEqual({ greet: 'hello layer', which: 'first layer', ver: 'any Node.js' });
  });

  test('a version and an alias target invoke their function: the invoked ARN names the qualifier, the version is the one it runs', async () => {
    const fnArn = running.functions.find((f) => f.logicalId.startsWith('Versioned'))!.arn;
    expect((await send(`${base}/latest`)).json()).toEqual({ invoked: fnArn, version: '$LATEST', functionVersion: '$LATEST' });
    expect((await send(`${base}/version`)).json()).toEqual({ invoked: `${fnArn}:1`, version: '1', functionVersion: '1' });
    expect((await send(`${base}/alias`)).json()).toEqual({ invoked: `${fnArn}:live`, version: '1', functionVersion: '1' });
    const name = fnArn.split(':').pop();
    for (const [path, target] of [['/latest', name], ['/version', `${name}:1`], ['/alias', `${name}:live`]]) {
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^GET ${path} -> 200 \\(GET ${path}: function ${target}, \\d+ ms\\)$`)));
    }
  });

  test('inline code is index.js, as CloudFormation writes it: index.handler answers, app.handler fails to load', async () => {
    expect(await text(`${base}/inline`)).toEqual([200, 'inline']);
    expect((await send(`${base}/inline-app`)).status).toBe(500);
    expect(lines.some((l) => l.includes('InlineApp') && l.includes('Runtime.ImportModuleError') && l.includes('app'))).toBe(true);
  });

  test('a zip asset is unpacked and runs', async () => {
    expect(await text(`${base}/zip`)).toEqual([200, 'from a zip']);
  });

  test('what the runner cannot load is listed as not emulated, naming it and why, and answers 501', async () => {
    const why = (id: string) => running.notEmulated.find((n) => n.where.startsWith(id))?.what;
    expect(why('Corrupt')).toMatch(new RegExp(`^Lambda code asset .*${assets.corrupt}, which cannot be unpacked: `));
    expect(why('Escaping')).toMatch(new RegExp(`^Lambda code asset .*${assets.escaping}, which cannot be unpacked: .*\\.\\./evil\\.js`));
    expect(why('Linked')).toMatch(/^Lambda code asset .*\.zip, which cannot be unpacked: entry a\/b\/c goes through the link a\/b$/);
    expect(why('LinkOut')).toMatch(/^Lambda code asset .*\.zip, which cannot be unpacked: entry up is a link to \.\.\/\.\., outside the folder$/);
    expect(why('CorruptLayered')).toMatch(new RegExp(`^Lambda layer asset .*${assets.corrupt}, which cannot be unpacked: `));
    expect(why('Outside')).toBe('Handler ../outside.handler: its file lies outside the code folder');
    expect(why('Image')).toMatch(/^Lambda function from a container image/);
    expect(why('MissingAsset')).toMatch(/^Lambda code asset .*, which is missing: synthesize the app again$/);
    expect(why('ForeignLayer')).toBe('Lambda layer arn:aws:lambda:eu-west-1:999999999999:layer:foreign:3, which is not a layer of this stack with a local asset');
    for (const path of ['/corrupt', '/escaping', '/linked', '/link-out', '/corrupt-layer', '/outside', '/image', '/missing', '/foreign-layer']) {
      const reply = await send(`${base}${path}`);
      expect([path, reply.status, reply.json().message]).toEqual([path, 501, expect.stringMatching(/^Not Implemented: /)]);
    }
    // Nothing of the refused archives was written beside the folders the runner unpacks into.
    const codeRoots = readdirSync(tmpdir()).filter((n) => n.startsWith('apigw-local-code-')).map((n) => join(tmpdir(), n));
    expect(codeRoots.length).toBeGreaterThan(0);
    expect(codeRoots.flatMap((root) => readdirSync(root)).filter((n) => !/^(zip|opt)-\d+$/.test(n))).toEqual([]);
    expect(existsSync(join(tmpdir(), 'escaped.txt'))).toBe(false);
  });

  test('1 MB in and 1 MB out pass Lambda\'s 6 MB limits', async () => {
    expect(await text(`${base}/sizes`, { method: 'POST', body: 'a'.repeat(MB), headers: { 'content-type': 'text/plain' } })).toEqual([200, String(MB)]);
    const big = await send(`${base}/sizes?out=${MB}`);
    expect([big.status, big.text.length]).toEqual([200, MB]);
  });

  test('a 7 MB event is refused before the function runs: 413 {"message":"Request Entity Too Large"}', async () => {
    const before = lines.length;
    const reply = await send(`${base}/sizes`, { method: 'POST', body: 'a'.repeat(7 * MB), headers: { 'content-type': 'text/plain' } });
    expect([reply.status, reply.json()]).toEqual([413, { message: 'Request Entity Too Large' }]);
    expect(lines.slice(before).some((l) => /\[.*Sizes.*\] not invoked: its \d+-byte event is past Lambda's 6291456-byte payload limit/.test(l))).toBe(true);
  });

  test('a 5 MB binary body counts base64-encoded (6.7 MB): 413', async () => {
    const reply = await send(`${base}/sizes`, { method: 'POST', body: Buffer.alloc(5 * MB, 7), headers: { 'content-type': 'application/octet-stream' } });
    expect(reply.status).toBe(413);
  });

  test('a 7 MB result fails the invocation (Function.ResponseSizeTooLarge): 500', async () => {
    const before = lines.length;
    const reply = await send(`${base}/sizes?out=${7 * MB}`);
    expect([reply.status, reply.json()]).toEqual([500, { message: 'Internal Server Error' }]);
    expect(lines.slice(before).some((l) => l.includes('Function.ResponseSizeTooLarge'))).toBe(true);
  });
});

async function text(url: string, options = {}): Promise<[number, string]> {
  const reply = await send(url, options);
  return [reply.status, reply.text];
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

/**
 * A .zip of `files` (a `{ link }` is a symbolic link) written by Python's
 * zipfile, which (unlike most tools) writes a `../` entry as given; files
 * readable by all, as Lambda requires.
 */
function zipOf(path: string, files: Record<string, string | { link: string }>): string {
  const script = [
    'import json, sys, zipfile',
    'with zipfile.ZipFile(sys.argv[1], "w") as z:',
    '  for name, content in json.load(sys.stdin).items():',
    '    info = zipfile.ZipInfo(name)',
    '    info.create_system = 3',
    '    link = isinstance(content, dict)',
    '    info.external_attr = ((0o120777 if link else 0o100644) << 16)',
    '    z.writestr(info, content["link"] if link else content)',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, path], { input: JSON.stringify(files), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`python3 zipfile: ${result.stderr}`);
  return path;
}
