import { evaluateSelection } from '../src/integrations/websocket/selection-expression';

test.each([
  ['$request.body.action', '{"action":"join"}', 'join'],
  ['$request.body.a.b[1]', '{"a":{"b":["x","y"]}}', 'y'],
  ['$request.body.action', '{}', ''],
  ['${request.body.kind}-${request.body.op}', '{"op":"say"}', '-say'],
  ['\\$default', 'anything', '$default'],
  ['$request.body.action', 'not json', undefined],
  ['$request.body.n', '{"n":{"k":1}}', '{"k":1}'],
])('%s on %s: %s', (expression, body, expected) => {
  expect(evaluateSelection(expression, body)).toBe(expected);
});
