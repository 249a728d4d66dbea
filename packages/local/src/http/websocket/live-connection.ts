import { WebSocket } from 'ws';
import { WsConnectionInfo } from '../../integrations/websocket/ws-request';

/** A client connected to a served WebSocket API. */
export interface LiveConnection {
  readonly info: WsConnectionInfo;
  readonly socket: WebSocket;
  readonly stage: string;
  lastActiveAt: number;
  /** Dropped through the test-only switch: closes without `$disconnect`. */
  silent: boolean;
}
