import { Server } from 'node:http';
import { AddressInfo, createServer, Server as NetServer, Socket } from 'node:net';
import { SecureContext, TLSSocket } from 'node:tls';

/** A TLS record of type handshake (RFC 8446, 5.1) starts every TLS connection; no HTTP method starts with this byte. */
const TLS_HANDSHAKE = 0x16;
/** A connection that sends nothing for this long is dropped before it is handed to the HTTP server. */
const FIRST_BYTE_LIMIT_MS = 60_000;

/**
 * One loopback port for an HTTP server that speaks both plain HTTP and TLS:
 * the first byte a client sends says which, and the connection goes to the
 * server as is, or through TLS with `tls`. So `http://127.0.0.1:<port>` and
 * `https://127.0.0.1:<port>` (and ws/wss) reach the same API, as a handler
 * that builds `https://${domainName}` links expects. Without `tls`, only
 * plain HTTP is spoken. The HTTP server itself never listens.
 */
export class PlainOrTlsPort {
  private readonly front: NetServer;
  private readonly undecided = new Set<Socket>();

  constructor(private readonly app: Server, private readonly tls?: SecureContext) {
    this.front = createServer((socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1:`port` (0: any free port) and returns the port. */
  public listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.front.once('error', reject);
      this.front.listen(port, '127.0.0.1', () => {
        this.front.off('error', reject);
        resolve((this.front.address() as AddressInfo).port);
      });
    });
  }

  /** Stops listening and ends every connection (keep-alive ones would hold the port open). */
  public close(): Promise<void> {
    return new Promise((resolve) => {
      this.front.close(() => resolve());
      for (const socket of this.undecided) socket.destroy();
      this.app.closeAllConnections();
    });
  }

  private accept(socket: Socket): void {
    this.undecided.add(socket);
    const drop = () => socket.destroy();
    socket.on('error', drop);
    socket.setTimeout(FIRST_BYTE_LIMIT_MS, drop);
    socket.once('readable', () => {
      this.undecided.delete(socket);
      socket.off('error', drop);
      socket.setTimeout(0);
      const first = socket.read(1) as Buffer | null;
      if (first === null) {
        socket.destroy();
        return;
      }
      // Read and put back: TLSSocket then takes the byte from the stream, and so does the HTTP parser.
      socket.unshift(first);
      if (this.tls && first[0] === TLS_HANDSHAKE) {
        const secure = new TLSSocket(socket, { isServer: true, secureContext: this.tls, ALPNProtocols: ['http/1.1'] });
        // A client that gives up mid-handshake must not take the runner down.
        secure.on('error', () => secure.destroy());
        this.app.emit('connection', secure);
      } else {
        this.app.emit('connection', socket);
      }
    });
  }
}
