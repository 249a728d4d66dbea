/** An RFC 7230 token: what a subprotocol name is (RFC 6455, 4.1). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Whether a handshake's `Sec-WebSocket-Protocol` offer is one ws accepts: a
 * comma-separated list of distinct tokens. Checked before `$connect` runs,
 * so no `$connect` side effect outlives a handshake ws then refuses.
 */
export function validSubprotocolOffer(header: string | undefined): boolean {
  if (header === undefined) return true;
  const offered = header.split(',').map((p) => p.trim());
  return offered.every((p) => TOKEN.test(p)) && new Set(offered).size === offered.length;
}

/**
 * Why a `$connect` integration's `Sec-WebSocket-Protocol` answer cannot go
 * into the handshake response, or undefined when it can. API Gateway passes
 * the function's answer to the client
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-connect-route-subprotocol.html);
 * the runner passes any single token as it is, even one the client did not
 * offer (the client then fails the handshake, as RFC 6455, 4.1 has it), and
 * refuses a value that would not be a header at all.
 */
export function subprotocolProblem(answer: string): string | undefined {
  return TOKEN.test(answer) ? undefined : `the Sec-WebSocket-Protocol header it answered (${JSON.stringify(answer.slice(0, 100))}) is not one subprotocol name`;
}
