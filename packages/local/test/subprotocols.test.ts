import { subprotocolProblem, validSubprotocolOffer } from '../src/http/websocket/subprotocols';

test('an offer ws accepts is a list of distinct tokens', () => {
  expect(validSubprotocolOffer(undefined)).toBe(true);
  expect(validSubprotocolOffer('chat1, myprotocol')).toBe(true);
  expect(validSubprotocolOffer('chat1,,x')).toBe(false);
  expect(validSubprotocolOffer('chat1, chat1')).toBe(false);
  expect(validSubprotocolOffer('a b')).toBe(false);
  expect(validSubprotocolOffer('chat1,')).toBe(false);
});

test('a $connect answer goes into the handshake only as one protocol name', () => {
  expect(subprotocolProblem('myprotocol')).toBeUndefined();
  expect(subprotocolProblem('a, b')).toMatch(/not one subprotocol name/);
  expect(subprotocolProblem('x\r\nSet-Cookie: a=b')).toMatch(/not one subprotocol name/);
});
