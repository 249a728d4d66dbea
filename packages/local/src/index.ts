export * from './assembly';
export * from './describe';
