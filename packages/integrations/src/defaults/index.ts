export * from './access-log';
export * from './throttle';
export * from './cors';
export * from './http-stage';
export * from './websocket-stage';
export * from './handler-function';
export * from './pattern-http-api';
