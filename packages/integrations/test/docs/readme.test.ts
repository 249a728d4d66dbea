import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// scripts/readme-examples.mjs (part of `test`) compiles and runs every example;
// this checks that every class has one.
test('README.md has a TypeScript example for every integration class and stage default', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]).join('\n');
  for (const name of [
    'HttpLambdaIntegration', 'HttpUrlIntegration', 'HttpStepFunctionsIntegration', 'HttpAlbIntegration', 'HttpNlbIntegration',
    'HttpServiceDiscoveryIntegration', 'HttpSqsIntegration', 'HttpEventBridgeIntegration', 'HttpKinesisIntegration',
    'HttpAppConfigIntegration', 'WebSocketLambdaIntegration', 'WebSocketAwsIntegration', 'WebSocketMockIntegration',
    'WebSocketDynamoDbIntegration', 'DefaultHttpStage', 'DefaultWebSocketStage', 'HandlerFunction', 'PatternMonitoring',
  ]) {
    expect({ name, hasExample: examples.includes(`new ${name}(`) }).toEqual({ name, hasExample: true });
  }
});
