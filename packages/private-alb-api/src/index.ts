export * from './fargate-service';
export * from './private-target';
export * from './private-alb-api';
export * from './private-alb-api-stack';
