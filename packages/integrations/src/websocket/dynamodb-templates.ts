// Velocity (VTL) request templates for WebSocketDynamoDbIntegration.
//
// WebSocket mapping templates can read $context, $input, $stageVariables and
// $util, but not the query string or headers of the connect request
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-mapping-template-reference.html).
// $context.requestTimeEpoch is in milliseconds while DynamoDB TTL wants epoch
// seconds, so the template divides, with integer arithmetic that gives the same
// digits in API Gateway's Java Velocity and in velocityjs: (ms - ms % 1000) / 1000.

export interface ConnectionItemTemplateOptions {
  readonly tableName: string;
  readonly keyName: string;
  readonly connectedAtName: string;
  readonly ttlName: string;
  readonly ttlHours: number;
  readonly staticAttributes: { [name: string]: string };
}

/** PutItem of `{ <key>: connectionId, <connectedAt>: ms, <ttl>: seconds, ...static }`. */
export function connectionItemTemplate(o: ConnectionItemTemplateOptions): string {
  const item: string[] = [
    `${q(o.keyName)}: {"S": "$context.connectionId"}`,
    `${q(o.connectedAtName)}: {"N": "$ms"}`,
  ];
  if (o.ttlHours > 0) item.push(`${q(o.ttlName)}: {"N": "$ttl"}`);
  for (const [name, value] of Object.entries(o.staticAttributes)) {
    item.push(`${q(name)}: {"S": ${q(value)}}`);
  }
  return [
    '#set($ms = $context.requestTimeEpoch)',
    '#set($seconds = ($ms - $ms % 1000) / 1000)',
    `#set($ttl = $seconds + ${o.ttlHours * 3600})`,
    `{"TableName": ${q(o.tableName)}, "Item": {${item.join(', ')}}}`,
  ].join('\n');
}

/** DeleteItem of the connection's item. */
export function deleteConnectionTemplate(o: { tableName: string; keyName: string }): string {
  return `{"TableName": ${q(o.tableName)}, "Key": {${q(o.keyName)}: {"S": "$context.connectionId"}}}`;
}

/** A JSON string literal; tokens (e.g. a table name) pass through as text and resolve later. */
function q(text: string): string {
  return JSON.stringify(text);
}
