export * from './sfn-error';
export * from './task-handlers';
export * from './step-functions-service';
export * from './sfn-endpoint';
