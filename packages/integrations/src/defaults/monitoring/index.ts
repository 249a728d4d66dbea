export * from './pattern-monitoring-props';
export * from './pattern-monitoring';
