// One cold start, as the Lambda runtime's first init: `node load.cjs handler <index.js>`
// loads a handler bundle; `node load.cjs sdk <module>...` loads the bare AWS SDK
// modules a bundle imports and builds their clients (the floor a bundle cannot go
// under); `node load.cjs` alone is Node's own start. hyperfine times the process.
const [mode, ...targets] = process.argv.slice(2);
// What the handlers read at init; values only need to look like the real ones.
process.env.TABLE_NAME ??= 'bench';
process.env.AWS_REGION ??= 'us-east-1';
process.env.CALLBACK_URL ??= 'https://example.execute-api.us-east-1.amazonaws.com/prod';
process.env.STATE_MACHINE_ARN ??= 'arn:aws:states:us-east-1:123456789012:stateMachine:bench';

// One DynamoDBClient, as a handler builds one and wraps it in the document client.
let dynamodb;
const dynamoDbClient = () => (dynamodb ??= new (require('@aws-sdk/client-dynamodb').DynamoDBClient)({}));
const CLIENTS = {
  '@aws-sdk/client-dynamodb': () => dynamoDbClient(),
  '@aws-sdk/lib-dynamodb': (m) => m.DynamoDBDocumentClient.from(dynamoDbClient()),
  '@aws-sdk/client-sfn': (m) => new m.SFNClient({}),
  '@aws-sdk/client-apigatewaymanagementapi': (m) => new m.ApiGatewayManagementApiClient({ endpoint: process.env.CALLBACK_URL }),
};

if (mode === 'handler') {
  if (typeof require(targets[0]).handler !== 'function') throw new Error(`${targets[0]} exports no handler`);
} else if (mode === 'sdk') {
  for (const name of targets) {
    const build = CLIENTS[name];
    if (!build) throw new Error(`load.cjs: no client recipe for ${name}`);
    build(require(name));
  }
}
