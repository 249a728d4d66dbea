export * from './http';
export * from './websocket';
export * from './defaults';
