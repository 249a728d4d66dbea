export * from './books-api';
export * from './books-api-stack';
