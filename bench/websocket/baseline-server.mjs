// The floor the local runner's WebSocket API is measured against: a bare `ws`
// server that answers `sendmessage` by sending the chat's message shape to every
// open connection, as the chat's sendmessage function does through @connections,
// with no API Gateway, Lambda or DynamoDB in between. Prints `listening <port>`.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket) => {
  const connectionId = randomUUID();
  let room;
  socket.on('message', (raw) => {
    const message = JSON.parse(raw.toString('utf8'));
    if (message.action === 'join') {
      room = message.room;
      return socket.send(JSON.stringify({ type: 'joined', room, members: server.clients.size }));
    }
    if (message.action !== 'sendmessage') return undefined;
    const payload = JSON.stringify({ type: 'message', from: connectionId, room, data: message.data, sentAt: new Date().toISOString() });
    for (const client of server.clients) client.send(payload);
    return socket.send(JSON.stringify({ type: 'sent', room, delivered: server.clients.size, gone: 0, failed: 0, cleanupFailed: 0 }));
  });
});
server.on('listening', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
