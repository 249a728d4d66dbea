export * from './assembly/cloud-assembly';
export * from './assembly/intrinsics';
export { synthesizeApp } from './assembly/synthesize';
export * from './assembly/synth-messages';
export * from './describe';
export * from './services/dynamodb';
export * from './services/recording-proxy';
export * from './acknowledgements';
export * from './runner';
