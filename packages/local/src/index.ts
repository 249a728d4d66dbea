export * from './assembly';
export * from './describe';
export * from './dynamodb';
export * from './acknowledgements';
