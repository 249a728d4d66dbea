import { removeTempDirs } from './temp-dirs';

// Every test file leaves the machine as it found it: its temp folders removed
// and process.env unchanged (jest runs this file's hooks around each test file).
const envBefore = { ...process.env };

afterAll(() => {
  removeTempDirs();
  const changed = [...new Set([...Object.keys(envBefore), ...Object.keys(process.env)])].filter((k) => envBefore[k] !== process.env[k]);
  for (const name of changed) {
    if (envBefore[name] === undefined) delete process.env[name];
    else process.env[name] = envBefore[name];
  }
  if (changed.length) throw new Error(`this test file changed process.env and did not restore it: ${changed.join(', ')}`);
});
