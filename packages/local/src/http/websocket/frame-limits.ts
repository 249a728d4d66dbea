import { WebSocket } from 'ws';

/**
 * WebSocket APIs' frame and message limits
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html):
 * a frame up to 32 KB, a message up to 128 KB; a larger frame or message
 * closes the connection with code 1009.
 */
export const MAX_FRAME_BYTES = 32 * 1024;
export const MAX_MESSAGE_BYTES = 128 * 1024;

/**
 * `ws` enforces one limit, `maxPayload`, on messages (set to the message
 * limit by the server). The frame limit needs a look at each frame's length
 * before its payload is read: this wraps the connection's receiver step that
 * has the length (`haveLength` in ws 8.23, the pinned version) and fails a
 * data frame over the limit with close code 1009, as ws fails an over-long message.
 */
export function limitFrameSize(socket: WebSocket, maxFrameBytes = MAX_FRAME_BYTES): void {
  const receiver = (socket as any)._receiver;
  if (!receiver || typeof receiver.haveLength !== 'function') throw new Error('ws receiver internals changed: check the pinned ws version');
  const haveLength = receiver.haveLength;
  receiver.haveLength = function (this: any, cb: (error?: Error) => void) {
    if (this._opcode < 0x08 && this._payloadLength > maxFrameBytes) {
      cb(this.createError(RangeError, 'Frame size exceeded', false, 1009, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'));
      return;
    }
    return haveLength.call(this, cb);
  };
}
