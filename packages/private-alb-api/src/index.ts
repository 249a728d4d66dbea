export * from './private-alb-api';
export * from './private-alb-api-stack';
