import { Server } from 'node:http';
import { Socket } from 'node:net';
import { SecureContext, TLSSocket } from 'node:tls';
import { closeServer, listenOnLoopback } from './loopback';

/** A TLS record of type handshake (RFC 8446, 5.1) starts every TLS connection; no HTTP method starts with this byte. */
const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing for this long is dropped before the HTTP server sees it (Node's own `headersTimeout`). */
const FIRST_BYTE_LIMIT_MS = 60_000;
/** A TLS handshake that has not finished by then is dropped: the HTTP server's timeouts start only once it has. */
const HANDSHAKE_LIMIT_MS = 10_000;

/**
 * One loopback port for an HTTP server that speaks both plain HTTP and TLS:
 * the first byte a client sends says which, and the connection goes to the
 * server as is, or through TLS with `tls`. So `http://127.0.0.1:<port>` and
 * `https://127.0.0.1:<port>` (and ws/wss) reach the same API, as a handler
 * that builds `https://${domainName}` links expects. Without `tls`, only
 * plain HTTP is spoken.
 *
 * The HTTP server listens itself and only its `connection` listeners are
 * put behind the first-byte check: that keeps what Node.js sets up for a
 * listening server (its connection list for `closeAllConnections`, and the
 * `headersTimeout` / `requestTimeout` checks).
 */
export class PlainOrTlsPort {
  private readonly undecided = new Set<Socket>();

  constructor(private readonly app: Server, private readonly tls?: SecureContext) {
    const listeners = app.listeners('connection') as Array<(socket: Socket) => void>;
    app.removeAllListeners('connection');
    app.on('connection', (socket: Socket) => this.accept(socket, (chosen) => listeners.forEach((listener) => listener.call(app, chosen))));
  }

  /** Listens on 127.0.0.1:`port` (0: any free port) and returns the port. */
  public listen(port: number): Promise<number> {
    return listenOnLoopback(this.app, port);
  }

  /** Stops listening and ends every connection (keep-alive ones would hold the port open). */
  public close(): Promise<void> {
    for (const socket of this.undecided) socket.destroy();
    return closeServer(this.app);
  }

  private accept(socket: Socket, serve: (socket: Socket) => void): void {
    this.undecided.add(socket);
    const drop = () => socket.destroy();
    socket.on('error', drop);
    socket.setTimeout(FIRST_BYTE_LIMIT_MS, drop);
    socket.once('readable', () => {
      this.undecided.delete(socket);
      socket.off('error', drop);
      socket.off('timeout', drop);
      socket.setTimeout(0);
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.destroy();
        return;
      }
      // Read and put back: TLSSocket then takes the byte from the stream, and so does the HTTP parser.
      socket.unshift(first);
      if (!this.tls || first[0] !== TLS_HANDSHAKE) {
        serve(socket);
        return;
      }
      const secure = new TLSSocket(socket, { isServer: true, secureContext: this.tls, ALPNProtocols: ['http/1.1'] });
      // A client that gives up or stalls mid-handshake must neither take the runner down nor hold a socket.
      const stalled = setTimeout(() => secure.destroy(), HANDSHAKE_LIMIT_MS);
      secure.once('secure', () => clearTimeout(stalled));
      secure.once('close', () => clearTimeout(stalled));
      secure.on('error', () => secure.destroy());
      serve(secure);
    });
  }
}
