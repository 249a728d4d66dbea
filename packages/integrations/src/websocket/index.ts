export * from './lambda';
export * from './aws';
export * from './mock';
export * from './dynamodb';
