import { parseTargets } from '../src/cli-options';

test('--target URL serves every private integration; --target Id=URL one; trailing slashes go', () => {
  expect(parseTargets(['http://127.0.0.1:8080/', 'Alb1=https://10.0.0.1:8443'])).toEqual({ '*': 'http://127.0.0.1:8080', 'Alb1': 'https://10.0.0.1:8443' });
});
