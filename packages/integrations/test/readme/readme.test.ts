// Every ```ts block of README.md is a complete program: type-check each
// against the built package (as a user would import it) and run it to a synth.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const PACKAGE = join(__dirname, '..', '..');
const OUT = join(PACKAGE, '.readme-examples');

function examples(): string[] {
  const readme = readFileSync(join(PACKAGE, 'README.md'), 'utf8');
  return [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  noEmitOnError: true,
  outDir: OUT,
  types: ['node'],
};

describe('README examples', () => {
  const blocks = examples();
  const files = blocks.map((_, i) => join(OUT, `example-${i + 1}.ts`));

  beforeAll(() => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    blocks.forEach((code, i) => writeFileSync(files[i], code));
  });

  test('there is an example for every integration class', () => {
    const all = blocks.join('\n');
    for (const name of [
      'HttpLambdaIntegration', 'HttpUrlIntegration', 'HttpStepFunctionsIntegration', 'HttpAlbIntegration', 'HttpNlbIntegration',
      'HttpServiceDiscoveryIntegration', 'HttpSqsIntegration', 'HttpEventBridgeIntegration', 'HttpKinesisIntegration',
      'HttpAppConfigIntegration', 'WebSocketLambdaIntegration', 'WebSocketAwsIntegration', 'WebSocketMockIntegration',
      'WebSocketDynamoDbIntegration', 'DefaultHttpStage', 'DefaultWebSocketStage',
    ]) {
      expect(all).toContain(`new ${name}(`);
    }
  });

  test('every example compiles against the package', () => {
    const program = ts.createProgram(files, OPTIONS);
    const diagnostics = ts.getPreEmitDiagnostics(program).concat(program.emit().diagnostics);
    const messages = diagnostics.map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(messages).toEqual([]);
  });

  test('every example synthesizes', () => {
    for (const file of files) {
      const js = file.replace(/\.ts$/, '.js');
      // Run the compiled example as `node` would.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      expect(() => require(js)).not.toThrow();
    }
  });
});
