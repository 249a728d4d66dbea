// Each test file leaves process.env as it found it (a test that sets a
// variable restores it itself, in a finally). jest runs this afterAll before
// the file's own afterAll hooks; temp folders are the run's (global-teardown.ts).
const envBefore = { ...process.env };

afterAll(() => {
  const changed = [...new Set([...Object.keys(envBefore), ...Object.keys(process.env)])].filter((k) => envBefore[k] !== process.env[k]);
  for (const name of changed) {
    if (envBefore[name] === undefined) delete process.env[name];
    else process.env[name] = envBefore[name];
  }
  if (changed.length) throw new Error(`this test file changed process.env and did not restore it: ${changed.join(', ')}`);
});
