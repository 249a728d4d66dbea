import { renderTemplate } from '../src/integrations/vtl/mapping-template';

// Mapping templates as the WebSocket mapping-template reference describes them.
const render = (template: string, body = '{}') => renderTemplate(template, {
  body,
  context: { connectionId: 'abc=', requestTimeEpoch: 1_700_000_000_123, identity: { sourceIp: '127.0.0.1' } },
  stageVariables: { color: 'blue' },
  params: { header: { 'x-h': 'h1' }, querystring: { q: 'q1' }, path: {} },
});

test('$input: body, json(path) as JSON text, path(path) as an object', () => {
  const body = '{"a":{"b":[1,{"c":"d"}]},"s":"text"}';
  expect(render('$input.body', body)).toBe(body);
  expect(render("$input.json('$.a.b[1]')", body)).toBe('{"c":"d"}');
  expect(render("$input.json('$.s')", body)).toBe('"text"');
  expect(render("$input.json('$.missing')", body)).toBe('null');
  expect(render("$input.path('$.a.b[1]').c", body)).toBe('d');
  expect(render("$input.json('$')", body)).toBe(body);
  expect(render("$input.params('q')-$input.params('x-h')")).toBe('q1-h1');
});

test('$util functions', () => {
  const tricky = JSON.stringify({ s: 'say "hi" / it\'s\n\tok é' });
  expect(render("$util.escapeJavaScript($input.path('$.s'))", tricky)).toBe('say \\"hi\\" \\/ it\\\'s\\n\\tok \\u00E9');
  expect(render("$util.urlEncode('a b&c=d/é')")).toBe('a+b%26c%3Dd%2F%C3%A9');
  expect(render("$util.urlDecode('a+b%26c')")).toBe('a b&c');
  expect(render("$util.base64Encode('hello')")).toBe('aGVsbG8=');
  expect(render("$util.base64Decode('aGVsbG8=')")).toBe('hello');
  expect(render("#set($o = $util.parseJson('{\"k\":[1,2]}'))$o.k[1]")).toBe('2');
});

test('$context, $stageVariables and arithmetic, as the chat $connect template uses them', () => {
  expect(render('#set($ms = $context.requestTimeEpoch)\n#set($s = ($ms - $ms % 1000) / 1000)\n$context.connectionId $s $stageVariables.color $context.identity.sourceIp'))
    .toBe('abc= 1700000000 blue 127.0.0.1');
});
