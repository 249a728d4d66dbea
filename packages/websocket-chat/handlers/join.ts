import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { countMembers, documents, ROOM_NAME, TABLE_NAME } from './lib/connections';
import { Event, FrameError, handle, parseFrame, reply, Result } from './lib/frames';

/** `{"action": "join", "room": "<name>"}`: moves this connection to the room and answers its member count. */
export const handler = (event: Event): Promise<Result> => handle(event, async () => {
  const frame = parseFrame(event);
  const room = frame.room;
  if (typeof room !== 'string' || !ROOM_NAME.test(room)) {
    throw new FrameError('room: 1 to 64 of letters, digits, "_" and "-"');
  }
  const connectionId = event.requestContext.connectionId;
  try {
    await documents.send(new UpdateCommand({
      TableName: TABLE_NAME,
      Key: { connectionId },
      UpdateExpression: 'SET #room = :room',
      ConditionExpression: 'attribute_exists(connectionId)',
      ExpressionAttributeNames: { '#room': 'room' },
      ExpressionAttributeValues: { ':room': room },
    }));
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') throw new FrameError('connection: not registered; reconnect');
    throw error;
  }
  return reply({ type: 'joined', room, members: await countMembers(room) });
});
