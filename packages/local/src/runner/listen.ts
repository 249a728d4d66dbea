import { UsageError } from '../assembly/usage-error';

/** A server that listens on one loopback port (an HTTP or a WebSocket API). */
export interface PortListener {
  listen(port: number): Promise<number>;
}

/**
 * Listens with each server in turn: the first on exactly `firstPort` (the
 * user asked for it), each later one on the next free port after the one
 * before. 0 gives every server any free port. Returns the ports, in order.
 */
export async function listenInTurn(servers: PortListener[], firstPort: number): Promise<number[]> {
  const ports: number[] = [];
  let next = firstPort;
  for (const server of servers) {
    const port = await listenFrom(server, next, ports.length === 0);
    ports.push(port);
    next = firstPort === 0 ? 0 : port + 1;
  }
  return ports;
}

async function listenFrom(server: PortListener, port: number, exact: boolean): Promise<number> {
  for (let candidate = port; candidate < port + 100; candidate++) {
    try {
      return await server.listen(candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      if (exact) throw new UsageError(`port ${port} on 127.0.0.1 is in use; stop what uses it or pass --port N`);
    }
  }
  throw new UsageError(`no free port from ${port} to ${port + 99} on 127.0.0.1; pass --port N`);
}
