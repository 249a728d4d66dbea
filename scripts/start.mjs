// `npm start [-- --app <name>] [serve flags]`: builds what the sample app needs
// (nx, cached), then serves it with the local runner, which synthesizes it first.
import { spawn, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const APPS = { 'books': 'books-app', 'sfn': 'sfn-app', 'private-alb': 'private-alb-app', 'websocket-chat': 'websocket-chat-app' };

const { values, tokens } = parseArgs({ args: process.argv.slice(2), options: { app: { type: 'string' } }, strict: false, tokens: true });
const name = values.app ?? 'books';
const app = APPS[name];
if (!app) {
  console.error(`npm start: no sample app '${name}'; pick one of: ${Object.keys(APPS).join(', ')}`);
  process.exit(2);
}
// Everything but --app goes to `apigw-local serve` (--port, --persist, ...).
const appArgIndexes = new Set(tokens.filter((t) => t.kind === 'option' && t.name === 'app').flatMap((t) => [t.index, ...(t.inlineValue === false ? [t.index + 1] : [])]));
const passThrough = process.argv.slice(2).filter((_, i) => !appArgIndexes.has(i));

console.log(`building @apigw-blueprints/local and apps/${app} with what they need (nx, cached; a fresh clone takes a few minutes) ...`);
const started = Date.now();
const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '-p', '@apigw-blueprints/local', `@apigw-blueprints/${app}`, '--output-style=static'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
if (build.status !== 0) {
  // The build's own output only when it failed: it says what broke.
  process.stdout.write(build.stdout ?? '');
  process.stderr.write(build.stderr ?? '');
  process.exit(build.status ?? 1);
}
console.log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);

const runner = spawn(process.execPath, ['packages/local/lib/cli.js', 'serve', `apps/${app}`, ...passThrough], { stdio: 'inherit' });
// Ctrl-C reaches the runner with the terminal's process group; a lone SIGTERM is passed on.
process.on('SIGTERM', () => runner.kill('SIGTERM'));
process.on('SIGINT', () => undefined);
runner.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
