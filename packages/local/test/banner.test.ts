import { curlFor } from '../src/banner';

test('curl lines fill path parameters and query strings from the app\'s examples, and send example bodies', () => {
  const examples = { bodies: { 'POST /start': { items: [] } }, queryStrings: { 'POST /stop': 'executionArn=$ARN' }, pathParameters: { name: '${ARN##*:}' } };
  expect(curlFor('http://127.0.0.1:3000', 'POST /stop', examples)).toBe('curl -i -X POST "http://127.0.0.1:3000/stop?executionArn=$ARN" -H \'content-type: application/json\' -d \'{}\'');
  expect(curlFor('http://127.0.0.1:3000', 'GET /executions/{name}', examples)).toBe('curl -i "http://127.0.0.1:3000/executions/${ARN##*:}"');
  expect(curlFor('http://127.0.0.1:3000', 'POST /start', examples)).toBe('curl -i -X POST "http://127.0.0.1:3000/start" -H \'content-type: application/json\' -d \'{"items":[]}\'');
  expect(curlFor('http://127.0.0.1:3000', 'GET /things/{id}', {})).toBe('curl -i "http://127.0.0.1:3000/things/$ID"');
});
