import { ApiGatewayManagementApiClient, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { forEachBounded } from './lib/bounded';
import { documents, roomMembers, TABLE_NAME } from './lib/connections';
import { Event, FrameError, handle, log, parseFrame, reply, Result } from './lib/frames';

// What one @connections POST may carry: 128 KB, API Gateway's message quota (sent in frames of 32 KB)
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-execution-service-websocket-limits-table.html).
// The limit applies to the message as posted: the envelope, and `data` after JSON escaping.
const MAX_MESSAGE_BYTES = 128 * 1024;
// PostToConnection calls in flight at once.
const CONCURRENCY = Number(process.env.POST_CONCURRENCY ?? '10');

// The stage's https callback URL (set by the construct).
const management = new ApiGatewayManagementApiClient({ endpoint: process.env.CALLBACK_URL });

/**
 * `{"action": "sendmessage", "data": "<text>"}`: sends `{ from, room, data, sentAt }`
 * to every connection in the sender's room. A connection that is gone (410
 * GoneException) is deleted; a delete that fails, and any other delivery
 * failure, is counted and logged, and the broadcast goes on, page after page.
 */
export const handler = (event: Event): Promise<Result> => handle(event, async () => {
  const frame = parseFrame(event);
  const data = frame.data;
  if (typeof data !== 'string') throw new FrameError('data: required, a string');

  const from = event.requestContext.connectionId;
  // Consistent: a message sent right after `joined` must go to the room just joined.
  const { Item } = await documents.send(new GetCommand({
    TableName: TABLE_NAME,
    Key: { connectionId: from },
    ProjectionExpression: '#room',
    ExpressionAttributeNames: { '#room': 'room' },
    ConsistentRead: true,
  }));
  if (!Item?.room) throw new FrameError('connection: not registered; reconnect');
  const room = Item.room as string;

  const message = Buffer.from(JSON.stringify({ type: 'message', from, room, data, sentAt: new Date().toISOString() }));
  if (message.length > MAX_MESSAGE_BYTES) {
    throw new FrameError(`data: the message would be ${message.length} bytes with its envelope and JSON escaping; at most ${MAX_MESSAGE_BYTES}`);
  }
  const counts = { delivered: 0, gone: 0, failed: 0, cleanupFailed: 0 };
  for await (const ids of roomMembers(room)) {
    await forEachBounded(ids, CONCURRENCY, async (connectionId) => {
      try {
        await management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: message }));
        counts.delivered++;
      } catch (error) {
        if ((error as Error).name === 'GoneException') {
          // That connection is gone: remove it (not the sender, unless the sender is the one gone).
          counts.gone++;
          await documents.send(new DeleteCommand({ TableName: TABLE_NAME, Key: { connectionId } })).catch((deleteError: Error) => {
            // The item stays until its TTL; this broadcast must not fail for it.
            counts.cleanupFailed++;
            log('warn', { event: 'delete-failed', connectionId, error: deleteError.name });
          });
        } else {
          counts.failed++;
          log('warn', { event: 'post-failed', connectionId, error: (error as Error).name, status: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode });
        }
      }
    });
  }
  log(counts.failed || counts.cleanupFailed ? 'warn' : 'info', { event: 'broadcast', room, from, ...counts });
  return reply({ type: 'sent', room, ...counts });
});
