// The single source of this repository's configuration. Every package.json,
// tsconfig, jest and eslint config, nx.json and tsconfig.base.json is written
// from here: edit this file, then run `npx projen`.
import { awscdk, javascript, JsonFile, typescript } from 'projen';

// aws-cdk-lib 2.257.0 is the newest release whose cloud assemblies (schema 53)
// integ-runner 2.197 can read, and the oldest cdk-nag 3 accepts.
const CDK_VERSION = '2.257.0';
const CONSTRUCTS_VERSION = '10.5.1';
const TYPESCRIPT_VERSION = '5.9.3';
const JSII_VERSION = '~6.0.16';
const NX_VERSION = '22.7.9';
const CDK_CLI_VERSION = '2.1148.1';
// One version for every package, set here only (projen writes every package.json; a version another tool
// wrote would be reverted). Internal ranges (peers, dependencies, the apps') follow it, so npm workspaces link them.
const WORKSPACE_VERSION = '0.1.0';
const SCOPE = '@apigw-blueprints';
const REPOSITORY = 'https://github.com/apigw-blueprints/apigw-blueprints.git';
const AUTHOR = { author: 'apigw-blueprints contributors', authorAddress: 'maintainers@apigw-blueprints.dev' };

// Tools every package uses; installed once, at the root (npm workspaces hoist them).
const SHARED_DEV_DEPS = [
  `nx@${NX_VERSION}`,
  `aws-cdk@${CDK_CLI_VERSION}`,
  'esbuild@^0.28.2',
  'ts-node@^10.9.2',
  '@aws-cdk/integ-runner@2.197.10',
  '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
  'cdk-nag@3.0.2',
  'jsii-docgen@^10.12.6',
  'jsii-pacmak@^1.140.0',
  'jsii-rosetta@~6.0.17',
  'jsii-diff@^1.134.0',
  'eslint-import-resolver-typescript@^4.4.5',
  'eslint-plugin-import@^2.32.0',
];

// CI fails instead of repairing: `test` never rewrites a snapshot (`test:update` does) and
// lints without --fix (`npm run fix` repairs, for people).
const JEST_OPTIONS: javascript.JestOptions = {
  jestVersion: '^30',
  jestConfig: { testTimeout: 60_000 },
  updateSnapshot: javascript.UpdateSnapshot.NEVER,
};
const LINT_WITHOUT_FIX = { commandOptions: { fix: false } };
// Tests and snapshots are recorded for one region and no account: the caller's
// CDK_DEFAULT_REGION (the README's deploy example exports one) must not change them.
const PINNED_ENVIRONMENT = { CDK_DEFAULT_REGION: 'us-east-1', CDK_DEFAULT_ACCOUNT: '' };

/** `test` runs with the pinned region and account, whatever the caller's environment. */
function pinTestEnvironment(project: javascript.NodeProject) {
  for (const [name, value] of Object.entries(PINNED_ENVIRONMENT)) project.testTask.env(name, value);
}

const root = new typescript.TypeScriptProject({
  name: 'apigw-blueprints',
  description: 'AWS CDK constructs and ready-to-deploy patterns for Amazon API Gateway v2 (HTTP and WebSocket APIs).',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  projenVersion: '0.103.25',
  typescriptVersion: TYPESCRIPT_VERSION,
  minNodeVersion: '20.0.0',
  license: 'Apache-2.0',
  copyrightOwner: AUTHOR.author,
  github: false,
  release: false,
  buildWorkflow: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  jest: false,
  eslint: false,
  disableTsconfig: true,
  // aws-cdk-lib at the root too: otherwise npm hoists the newest one for cdk-nag's and
  // integ-tests-alpha's peer ranges, and every package gets a second copy.
  // autocannon and ws: the load generators of bench/ (npm run bench).
  devDeps: [`aws-cdk-lib@${CDK_VERSION}`, `constructs@${CONSTRUCTS_VERSION}`, 'jsii-diff@1.134.0', 'autocannon@9.0.0', 'ws@8.23.0', '@types/ws@^8.5.0', ...SHARED_DEV_DEPS],
  gitignore: ['.nx/', 'cdk.out/', '*.tsbuildinfo'],
});

root.package.addField('private', true);
// aws-cdk-lib 2.257.0 depends on @aws-cdk/cloud-assembly-schema ^53.25.0, but npm
// resolves the `>=53.25.0` peer of its bundled cloud-assembly-api to 55.x inside
// aws-cdk-lib's own node_modules, and jsii then refuses the assembly ("Declared
// dependency on version ^53.25.0 ... but version 55.6.0 was found").
root.package.addField('overrides', { 'aws-cdk-lib': { '@aws-cdk/cloud-assembly-schema': '~53.28.0' } });
root.package.addField('workspaces', ['packages/*', 'apps/*']);
// The root is no nx project: its own build re-runs projen.
root.package.addField('nx', { includedScripts: [] });

// tsconfig.base.json governs the apps, the local runner and handler code;
// jsii writes its own tsconfig for the construct libraries.
new JsonFile(root, 'tsconfig.base.json', {
  obj: {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      lib: ['es2022'],
      declaration: true,
      strict: true,
      noImplicitAny: true,
      strictNullChecks: true,
      noImplicitThis: true,
      alwaysStrict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      noImplicitReturns: true,
      noFallthroughCasesInSwitch: true,
      inlineSourceMap: true,
      inlineSources: true,
      experimentalDecorators: true,
      strictPropertyInitialization: false,
      esModuleInterop: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      types: ['node', 'jest'],
    },
  },
});

const buildOutputs = [
  '{projectRoot}/lib',
  '{projectRoot}/.jsii',
  '{projectRoot}/tsconfig.json',
  '{projectRoot}/API.md',
  '{projectRoot}/assets',
  '{projectRoot}/dist',
];
new JsonFile(root, 'nx.json', {
  obj: {
    $schema: './node_modules/nx/schemas/nx-schema.json',
    neverConnectToCloud: true,
    namedInputs: {
      // Generated or written by the build itself, so never an input.
      default: [
        '{projectRoot}/**/*',
        '!{projectRoot}/API.md',
        '!{projectRoot}/lib/**',
        '!{projectRoot}/dist/**',
        '!{projectRoot}/assets/**',
        '!{projectRoot}/cdk.out/**',
        '!{projectRoot}/.jsii',
        '!{projectRoot}/tsconfig.json',
        '!{projectRoot}/node_modules/**',
        '!{projectRoot}/coverage/**',
        '!{projectRoot}/test-reports/**',
        '!{projectRoot}/.readme-examples/**',
        '!{projectRoot}/tsconfig.tsbuildinfo',
        '!{projectRoot}/test/*.snapshot/**/asset.*/**',
        'sharedGlobals',
      ],
      sharedGlobals: ['{workspaceRoot}/tsconfig.base.json', '{workspaceRoot}/scripts/**/*', '{workspaceRoot}/package-lock.json'],
    },
    targetDefaults: {
      build: { dependsOn: ['^build'], inputs: ['default', '^default'], outputs: buildOutputs, cache: true },
      test: { dependsOn: ['build'], inputs: ['default', '^default'], cache: true },
      integ: { dependsOn: ['build'], inputs: ['default', '^default'], cache: true },
      synth: { dependsOn: ['build'], inputs: ['default', '^default'], outputs: ['{projectRoot}/cdk.out'], cache: true },
    },
    parallel: 2,
  },
});

const NX = 'nx run-many --output-style=stream';
root.testTask.reset(`${NX} -t test integ`);
// After the builds `test` depends on: the API against the last release's baseline.
root.testTask.exec('node scripts/compat.mjs');
root.addTask('compat', {
  description: 'API changes of the jsii libraries against the last release (jsii-diff); fails on a breaking one CHANGELOG.md does not name',
  exec: 'node scripts/compat.mjs',
});
root.addTask('compat:baseline', { description: 'Record the built assemblies as the release baseline (at a release)', exec: 'node scripts/compat.mjs --baseline' });
root.addTask('release:dry-run', {
  description: 'What a release would publish (version, changelog entry, tarball files and sizes), offline; publishes nothing',
  exec: 'node scripts/release-dry-run.mjs',
});
root.addTask('fix', { description: 'Lint every package with --fix (what CI only checks)', exec: `${NX} -t eslint -- --fix` });
root.addTask('test:unit', { description: 'Unit tests of every package, no integ snapshots', exec: `${NX} -t test` });
const testLatest = root.addTask('test:latest', {
  description: 'Unit tests, then the consumer test (packed tarballs in a scratch app), against the newest aws-cdk-lib',
  exec: 'node scripts/test-latest.mjs',
});
testLatest.exec('node scripts/consumer-test.mjs --latest');
root.addTask('synth', { description: 'Synthesize every sample app into its cdk.out', exec: `${NX} -t synth` });
root.addTask('build:all', { description: 'Build every package (nx, cached)', exec: `${NX} -t build` });
root.addTask('integ:update', {
  description: 'Re-record integ snapshots offline (no deploy)',
  exec: `${NX} -t integ:update --parallel=1`,
});
root.addTask('bench', {
  description: 'Benchmarks (bench/README.md): all, or `npm run bench -- <synth|bundles|http|websocket|tests>`; rewrites the results in bench/README.md',
  steps: [{ exec: 'node bench/run.mjs', receiveArgs: true }],
});
// The bench apps (the floor, the hand-written books app) run on the apps' toolchain: ts-node
// with the base tsconfig. `npm test` type-checks them, so they keep compiling against the pinned CDK.
new JsonFile(root, 'bench/tsconfig.json', {
  obj: {
    extends: '../tsconfig.base.json',
    compilerOptions: { noEmit: true, types: ['node'] },
    include: ['**/*.ts'],
    exclude: ['**/cdk.out/**'],
  },
});
root.testTask.exec('tsc -p bench/tsconfig.json');
root.addTask('start', {
  description: 'Serve a sample app on 127.0.0.1 (default books; --app sfn|private-alb|websocket-chat, --port N)',
  steps: [{ exec: 'node scripts/start.mjs', receiveArgs: true }],
});
// nx needs no cloud, no daemon and no interactive terminal UI here or in CI.
// jsii prints a Node 20 end-of-life banner on every run without the last one.
const TOOL_ENV = { NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
for (const [name, value] of Object.entries(TOOL_ENV)) {
  root.tasks.addEnvironment(name, value);
}

/** The jsii target names a library would be published under. */
function jsiiTargets(short: string) {
  const pascal = short.split('-').map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  const snake = short.replace(/-/g, '_');
  return {
    python: { distName: `apigw-blueprints.${short}`, module: `apigw_blueprints.${snake}` },
    java: {
      package: `io.github.apigwblueprints.${snake.replace(/_/g, '')}`,
      maven: { groupId: 'io.github.apigwblueprints', artifactId: short },
    },
    dotnet: { namespace: `ApigwBlueprints.${pascal}`, packageId: `ApigwBlueprints.${pascal}` },
  };
}

/**
 * projen merges its own compiler defaults into every tsconfig it writes; for
 * projects that extend tsconfig.base.json keep only what differs per project,
 * so the base file really governs.
 */
function inheritBaseTsconfig(project: typescript.TypeScriptProject, keep: string[]) {
  for (const config of [project.tsconfig, project.tsconfigDev]) {
    const options = config?.compilerOptions as Record<string, unknown> | undefined;
    for (const key of Object.keys(options ?? {})) {
      if (!keep.includes(key)) delete options![key];
    }
  }
}

/** Settings every subproject shares: one install at the root, pinned tools. */
function shareRootInstall(project: javascript.NodeProject) {
  // npm workspaces install everything once, at the root.
  (project.package as any).installDependencies = () => undefined;
  project.package.addField('version', WORKSPACE_VERSION);
  for (const [name, value] of Object.entries(TOOL_ENV)) {
    project.tasks.addEnvironment(name, value);
  }
}

/**
 * nx runs `test` as its own target after `build`, so the `build` script nx calls
 * compiles and packages without testing. projen locks its own `build` task
 * (which would test too), so the script points at an `assemble` task instead.
 */
function buildWithoutTests(project: javascript.NodeProject, steps?: string[]) {
  const assemble = project.addTask('assemble', { description: 'Compile and package, without tests (what nx runs as `build`)' });
  for (const step of steps ?? [project.preCompileTask.name, project.compileTask.name, project.postCompileTask.name, project.packageTask.name]) {
    assemble.spawn(project.tasks.tryFind(step)!);
  }
  project.package.setScript('build', `npx projen ${assemble.name}`);
}

/** integ-runner over test/integ.*.ts: verify committed snapshots, or re-record them without deploying. */
function addIntegTasks(project: javascript.NodeProject) {
  const env = { TS_NODE_TRANSPILE_ONLY: '1', ...PINNED_ENVIRONMENT };
  project.addTask('integ', {
    description: 'Verify the committed integ snapshots (offline)',
    env,
    exec: 'node ../../scripts/integ.mjs verify',
  });
  project.addTask('integ:update', {
    description: 'Re-record the integ snapshots without deploying',
    env,
    exec: 'node ../../scripts/integ.mjs update',
  });
}

/**
 * Pre-bundles handlers/*.ts into assets/<handler>/index.js before jsii compiles,
 * after type-checking them against tsconfig.base.json.
 */
function addHandlerBundling(project: javascript.NodeProject) {
  new JsonFile(project, 'handlers/tsconfig.json', {
    obj: {
      extends: '../../../tsconfig.base.json',
      compilerOptions: { noEmit: true, types: ['node'] },
      include: ['**/*.ts'],
    },
  });
  const bundle = project.addTask('bundle', {
    description: 'Type-check handlers/ and bundle each handlers/*.ts into assets/<handler>/index.js (esbuild)',
  });
  bundle.exec('tsc -p handlers/tsconfig.json');
  bundle.exec('node ../../scripts/bundle-handlers.mjs');
  project.preCompileTask.spawn(bundle);
  // A package's own `test` runs on bundles of the handlers as they are now, not as the last build left them.
  project.testTask.prependSpawn(bundle);
  project.gitignore.addPatterns('/assets/');
  // The bundles ship; their sources and tsconfig do not.
  project.npmignore?.exclude('/handlers/');
  project.addDevDeps('@types/aws-lambda@^8.10.161');
  const eslint = (project as typescript.TypeScriptProject).eslint;
  eslint?.addLintPattern('handlers');
  // Handlers are bundled; the Lambda runtime provides the AWS SDK they import.
  eslint?.allowDevDeps('handlers/**');
}

interface LibraryOptions {
  readonly short: string;
  readonly description: string;
  readonly peers?: string[];
  readonly devDeps?: string[];
  readonly handlers?: boolean;
}

function library(options: LibraryOptions): awscdk.AwsCdkConstructLibrary {
  const outdir = `packages/${options.short}`;
  const lib = new awscdk.AwsCdkConstructLibrary({
    parent: root,
    outdir,
    name: `${SCOPE}/${options.short}`,
    description: options.description,
    ...AUTHOR,
    repositoryUrl: REPOSITORY,
    repositoryDirectory: outdir,
    defaultReleaseBranch: 'main',
    license: 'Apache-2.0',
    packageManager: javascript.NodePackageManager.NPM,
    jsiiVersion: JSII_VERSION,
    cdkVersion: CDK_VERSION,
    constructsVersion: CONSTRUCTS_VERSION,
    cdkCliVersion: CDK_CLI_VERSION,
    typescriptVersion: TYPESCRIPT_VERSION,
    minNodeVersion: '20.0.0',
    jestOptions: JEST_OPTIONS,
    eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools'], ...LINT_WITHOUT_FIX },
    peerDeps: options.peers,
    devDeps: ['@aws-cdk/integ-tests-alpha@2.245.0-alpha.0', ...(options.devDeps ?? []), ...(options.peers ?? [])],
    docgen: true,
    // 0.x: minor releases may break the API (CHANGELOG.md lists how).
    stability: 'experimental',
    sampleCode: false,
    github: false,
    release: false,
    depsUpgrade: false,
    excludeTypescript: ['handlers/**'],
  });
  shareRootInstall(lib);
  buildWithoutTests(lib);
  pinTestEnvironment(lib);
  // The API of the last release, which `npm run compat` diffs against (.jsii is otherwise ignored).
  // A dot folder: jsii-docgen globs every .jsii under the package except in dot folders, and
  // one of the same name and version would take the place of the package's own in API.md.
  lib.gitignore.include('/.api-baseline/.jsii');
  // What a user installs, as an allowlist: nothing else can leak, whatever the working copy holds.
  lib.package.addField('files', ['lib/', 'assets/', '.jsii', 'API.md', 'README.md', 'LICENSE']);
  lib.package.file.addOverride('jsii.targets', jsiiTargets(options.short));
  // The README check writes its examples out.
  lib.gitignore.addPatterns('/.readme-examples/');
  // jsii-docgen looks for dependency assemblies only in the package's own node_modules.
  lib.tasks.tryFind('docgen')!.prependExec('node ../../scripts/link-jsii-deps.mjs');
  // CI packages js only; there is no Python/Java/.NET toolchain to package with here.
  lib.packageTask.reset();
  lib.packageTask.spawn(lib.tasks.tryFind('package:js')!);
  addIntegTasks(lib);
  // ts-jest only transpiles (isolatedModules), so the tests, README examples included, are type-checked here.
  lib.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');
  // Every ```ts block of the README must compile against the built package and synthesize.
  lib.testTask.exec('node ../../scripts/readme-examples.mjs');
  if (options.handlers) {
    addHandlerBundling(lib);
  }
  return lib;
}

const integrationsPeer = `${SCOPE}/integrations@^${WORKSPACE_VERSION}`;
// The local runner's embedded backends (dynalite, ...) serve the handler tests too.
const LOCAL = `${SCOPE}/local@^${WORKSPACE_VERSION}`;
const handlerDevDeps = [
  '@aws-sdk/client-dynamodb@^3.700.0',
  '@aws-sdk/lib-dynamodb@^3.700.0',
  LOCAL,
];

library({
  short: 'integrations',
  description: 'Amazon API Gateway v2 route integrations for AWS CDK: drop-in for aws-apigatewayv2-integrations, validated and least-privilege.',
  devDeps: ['velocityjs@2.1.7', '@aws-sdk/client-dynamodb@^3.700.0', LOCAL],
});
library({
  short: 'books-api',
  description: 'A books catalogue on an HTTP API, Lambda and DynamoDB.',
  peers: [integrationsPeer],
  devDeps: [...handlerDevDeps, 'cdk-nag@3.0.2'],
  handlers: true,
});
library({
  short: 'websocket-chat',
  description: 'Chat rooms on an API Gateway WebSocket API with DynamoDB.',
  peers: [integrationsPeer],
  devDeps: [...handlerDevDeps, '@aws-sdk/client-apigatewaymanagementapi@^3.700.0', 'velocityjs@2.1.7', 'cdk-nag@3.0.2'],
  handlers: true,
});
library({
  short: 'sfn-api',
  description: 'Start, start synchronously and stop Step Functions workflows over an HTTP API.',
  peers: [integrationsPeer],
  devDeps: ['aws-local-stepfunctions@3.0.0', '@aws-sdk/client-sfn@^3.700.0', 'cdk-nag@3.0.2', LOCAL],
  handlers: true,
});
library({
  short: 'private-alb-api',
  description: 'A private service behind an internal ALB, NLB or Cloud Map, exposed through an HTTP API VPC link.',
  peers: [integrationsPeer],
  devDeps: ['cdk-nag@3.0.2', LOCAL],
});

/** A TypeScript project outside jsii: compiled with tsc against tsconfig.base.json. */
const local = new typescript.TypeScriptProject({
  parent: root,
  outdir: 'packages/local',
  name: `${SCOPE}/local`,
  description: 'Serve a synthesized sample app on loopback with embedded backends: try an API without an AWS account.',
  ...AUTHOR,
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  typescriptVersion: TYPESCRIPT_VERSION,
  minNodeVersion: '20.0.0',
  // Each test file restores process.env (test/leak-guard.ts); the run's temp folders live in one
  // folder, removed at the end, and the run fails on anything the runner itself left there.
  jestOptions: {
    ...JEST_OPTIONS,
    jestConfig: {
      ...JEST_OPTIONS.jestConfig,
      setupFilesAfterEnv: ['<rootDir>/test/leak-guard.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
      globalTeardown: '<rootDir>/test/global-teardown.ts',
    },
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'build-tools'], ...LINT_WITHOUT_FIX },
  // The SDK clients the Lambda runtime would provide to handlers, pinned: the
  // runner resolves handlers' `@aws-sdk/*` imports to these.
  deps: [
    'dynalite@4.0.0',
    // dynalite's LevelDB, opened once before it to check a --persist folder.
    'level@10.0.0',
    '@aws-sdk/client-dynamodb@3.1169.0',
    '@aws-sdk/lib-dynamodb@3.1169.0',
    '@aws-sdk/client-sfn@3.1164.0',
    '@aws-sdk/client-apigatewaymanagementapi@3.1169.0',
    // The state machines' interpreter (JSONPath states; declares Node >= 22, polyfilled on 20).
    'aws-local-stepfunctions@3.0.0',
    // WebSocket APIs: the server, and the Velocity engine for their mapping templates.
    'ws@8.23.0',
    'velocityjs@2.1.7',
    // Zip-file code and layer assets, unpacked as Lambda would (entries that leave the folder refused).
    'yauzl@3.4.0',
  ],
  // The AWS SDK's own SigV4 signer signs the AWS_IAM tests' requests (the runner verifies them with its own code).
  devDeps: [`aws-cdk-lib@${CDK_VERSION}`, `constructs@${CONSTRUCTS_VERSION}`, '@types/ws@^8.5.0', '@types/yauzl@^3.4.0', '@smithy/signature-v4@5.7.5'],
  bin: { 'apigw-local': 'lib/cli.js' },
  sampleCode: false,
  github: false,
  release: false,
  depsUpgrade: false,
  tsconfig: {
    extends: javascript.TypescriptConfigExtends.fromPaths(['../../tsconfig.base.json']),
    compilerOptions: { rootDir: 'src', outDir: 'lib' },
    include: ['src/**/*.ts'],
  },
});
shareRootInstall(local);
inheritBaseTsconfig(local, ['rootDir', 'outDir']);
pinTestEnvironment(local);
local.package.addField('files', ['lib/', 'README.md', 'LICENSE']);
buildWithoutTests(local);
// The tests run the CLI and the function worker from lib/: compile first, so a source edit is what they test.
local.testTask.prependSpawn(local.compileTask);
// The runner's layers, lowest first: a module imports from its own layer and the ones below it, never
// from one above (eslint sees `export ... from` and `require()` too). Files directly in src/ (the CLI,
// the banner, the index) are the top, which nothing in a layer imports.
const RUNNER_LAYERS = ['assembly', 'model', 'services', 'functions', 'integrations', 'http', 'runner'];
local.eslint?.addRules({
  'import/no-restricted-paths': ['error', {
    zones: RUNNER_LAYERS.map((layer, i) => ({
      target: `./src/${layer}`,
      from: [...RUNNER_LAYERS.slice(i + 1).map((above) => `./src/${above}/**`), './src/*.ts'],
      message: `src/${layer} is below ${RUNNER_LAYERS.slice(i + 1).join(', ')} and the top: pass what it needs down instead (a callback, an option).`,
    })),
  }],
});

interface AppOptions {
  readonly short: string;
  readonly patterns: string[];
  readonly deps?: string[];
  readonly devDeps?: string[];
}

function app(options: AppOptions): awscdk.AwsCdkTypeScriptApp {
  const project = new awscdk.AwsCdkTypeScriptApp({
    parent: root,
    outdir: `apps/${options.short}`,
    name: `${SCOPE}/${options.short}`,
    defaultReleaseBranch: 'main',
    packageManager: javascript.NodePackageManager.NPM,
    cdkVersion: CDK_VERSION,
    cdkVersionPinning: true,
    constructsVersion: CONSTRUCTS_VERSION,
    cdkCliVersion: CDK_CLI_VERSION,
    typescriptVersion: TYPESCRIPT_VERSION,
    minNodeVersion: '20.0.0',
    jestOptions: JEST_OPTIONS,
    eslintOptions: { dirs: ['bin'], devdirs: ['test', 'build-tools'], ...LINT_WITHOUT_FIX },
    srcdir: 'bin',
    // Transpile-only: type-checking ts-node makes every synth about three times slower;
    // `build` type-checks the app once with tsc.
    app: 'npx ts-node -T --prefer-ts-exts bin/app.ts',
    deps: [...options.patterns.map((p) => `${SCOPE}/${p}@^${WORKSPACE_VERSION}`), `${SCOPE}/integrations@^${WORKSPACE_VERSION}`, ...(options.deps ?? [])],
    devDeps: options.devDeps,
    sampleCode: false,
    github: false,
    release: false,
    depsUpgrade: false,
    requireApproval: awscdk.ApprovalLevel.BROADENING,
    tsconfig: {
      extends: javascript.TypescriptConfigExtends.fromPaths(['../../tsconfig.base.json']),
      compilerOptions: { rootDir: '.', outDir: 'lib' },
      include: ['bin/**/*.ts', 'test/**/*.ts'],
    },
  });
  shareRootInstall(project);
  inheritBaseTsconfig(project, ['rootDir', 'outDir']);
  pinTestEnvironment(project);
  project.package.addField('private', true);
  // Handlers come pre-bundled from the pattern packages: nothing to build before a synth.
  project.cdkConfig.json.addDeletionOverride('build');
  // An app's build type-checks; `synth` (nx) writes cdk.out.
  project.compileTask.reset('tsc --noEmit');
  buildWithoutTests(project, [project.compileTask.name]);
  project.tasks.tryFind('synth')!.reset('cdk synth -q');
  return project;
}

/**
 * What `npm install` gives a user: its `test` packs every published package and installs the
 * tarballs into a scratch CDK app outside the monorepo (scripts/consumer-test.mjs). It depends
 * on those packages, so nx builds them first and reruns it only when one of them changed.
 */
const consumer = new javascript.NodeProject({
  parent: root,
  outdir: 'packages/consumer-test',
  name: `${SCOPE}/consumer-test`,
  description: 'Installs the packed tarballs into a scratch CDK app, as a user would, and synthesizes and serves it.',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  devDeps: ['integrations', 'books-api', 'websocket-chat', 'sfn-api', 'private-alb-api', 'local'].map((p) => `${SCOPE}/${p}@^${WORKSPACE_VERSION}`),
  jest: false,
  github: false,
  release: false,
  depsUpgrade: false,
  licensed: false,
});
shareRootInstall(consumer);
consumer.package.addField('private', true);
buildWithoutTests(consumer, []);
consumer.testTask.exec('node ../../scripts/consumer-test.mjs --root ../..');

// The apps' tests serve them through the local runner.
app({ short: 'books-app', patterns: ['books-api'], deps: ['cdk-nag@3.0.2'], devDeps: [LOCAL, '@aws-sdk/client-dynamodb@^3.700.0'] });
app({ short: 'websocket-chat-app', patterns: ['websocket-chat'], deps: ['cdk-nag@3.0.2'], devDeps: [LOCAL, 'ws@8.23.0', '@types/ws@^8.5.0', '@aws-sdk/client-dynamodb@^3.700.0'] });
app({ short: 'sfn-app', patterns: ['sfn-api'], deps: ['cdk-nag@3.0.2'], devDeps: [LOCAL] });
app({ short: 'private-alb-app', patterns: ['private-alb-api'], deps: ['cdk-nag@3.0.2'], devDeps: [LOCAL] });
// Every pattern in one stack, as a user composes them: the proof that they are building blocks.
app({ short: 'composed-app', patterns: ['books-api', 'sfn-api', 'websocket-chat', 'private-alb-api'], deps: ['cdk-nag@3.0.2'], devDeps: [LOCAL] });

root.synth();

