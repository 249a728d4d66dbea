import WebSocket from 'ws';

/** A real ws client: its socket, the frames it received, and the next one in order. */
export interface Client {
  readonly socket: WebSocket;
  readonly frames: string[];
  next(): Promise<string>;
}

/** A refused handshake: the status and the body the server answered with. */
export interface Refusal extends Error {
  readonly status: number;
  readonly body: string;
}

/**
 * Opens a WebSocket; rejects with a `Refusal` when the handshake is
 * answered with a status, or with ws's error (a subprotocol it does not accept).
 */
export function open(url: string, headers: Record<string, string> = {}, options: { protocols?: string[]; ca?: string } = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options.protocols ?? [], { headers, ca: options.ca });
    const frames: string[] = [];
    let read = 0;
    let waiter: (() => void) | undefined;
    socket.on('message', (d) => {
      frames.push(String(d));
      waiter?.();
    });
    // Frames are read in order; one that arrived before next() was called is not lost.
    const next = () => new Promise<string>((res, rej) => {
      const take = () => {
        if (read < frames.length) {
          clearTimeout(timer);
          waiter = undefined;
          res(frames[read++]);
        }
      };
      const timer = setTimeout(() => rej(new Error('no frame within 5 s')), 5000);
      waiter = take;
      take();
    });
    socket.once('open', () => resolve({ socket, frames, next }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => body += c.toString('utf8'));
      res.on('end', () => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode, body })));
    });
    socket.once('error', reject);
  });
}
