export * from './order-workflow';
export * from './sfn-api';
export * from './sfn-api-stack';
