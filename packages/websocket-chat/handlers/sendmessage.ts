import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { forEachBounded } from './lib/bounded';
import { documents, roomMembers, TABLE_NAME } from './lib/connections';
import { Event, FrameError, handle, log, parseFrame, reply, Result } from './lib/frames';

// API Gateway WebSocket frames are at most 32 KB; the message envelope must fit too.
const MAX_DATA_BYTES = 32 * 1024 - 512;
// PostToConnection calls in flight at once.
const CONCURRENCY = Number(process.env.POST_CONCURRENCY ?? '10');

// The stage's https callback URL (set by the construct).
const management = new ApiGatewayManagementApiClient({ endpoint: process.env.CALLBACK_URL });

/**
 * `{"action": "sendmessage", "data": "<text>"}`: sends `{ from, room, data, sentAt }`
 * to every connection in the sender's room. A connection that is gone (410
 * GoneException) is deleted; other failures are counted and logged, and the
 * broadcast goes on.
 */
export const handler = (event: Event): Promise<Result> => handle(event, async () => {
  const frame = parseFrame(event);
  const data = frame.data;
  if (typeof data !== 'string') throw new FrameError('data: required, a string');
  if (Buffer.byteLength(data, 'utf8') > MAX_DATA_BYTES) throw new FrameError(`data: at most ${MAX_DATA_BYTES} bytes`);

  const from = event.requestContext.connectionId;
  const { Item } = await documents.send(new GetCommand({ TableName: TABLE_NAME, Key: { connectionId: from }, ProjectionExpression: '#room', ExpressionAttributeNames: { '#room': 'room' } }));
  if (!Item?.room) throw new FrameError('connection: not registered; reconnect');
  const room = Item.room as string;

  const message = Buffer.from(JSON.stringify({ type: 'message', from, room, data, sentAt: new Date().toISOString() }));
  const counts = { delivered: 0, gone: 0, failed: 0 };
  for await (const ids of roomMembers(room)) {
    await forEachBounded(ids, CONCURRENCY, async (connectionId) => {
      try {
        await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: message }));
        counts.delivered++;
      } catch (error) {
        if ((error as Error).name === 'GoneException') {
          // That connection is gone: remove it (not the sender, unless the sender is the one gone).
          await documents.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { connectionId } }));
          counts.gone++;
        } else {
          counts.failed++;
          log('warn', { event: 'post-failed', connectionId, error: (error as Error).name, status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode });
        }
      }
    });
  }
  log(counts.failed ? 'warn' : 'info', { event: 'broadcast', room, from, ...counts });
  return reply({ type: 'sent', room, ...counts });
});
