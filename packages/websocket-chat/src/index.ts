export * from './websocket-chat';
export * from './websocket-chat-stack';
