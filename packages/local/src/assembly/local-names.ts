import { createHash } from 'node:crypto';
import { AssemblyStack, CfnResource } from './cloud-assembly';

/** Account and region used when the app sets none (`unknown-account` / `unknown-region`). */
export const PLACEHOLDER_ACCOUNT = '000000000000';
export const PLACEHOLDER_REGION = 'us-east-1';

/** The stack's account, region and the pseudo parameters derived from them. */
export interface LocalEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
  readonly stackId: string;
}

/** The pseudo parameters of a stack: its environment, or placeholders where the app sets none. */
export function localEnvironment(stack: AssemblyStack): LocalEnvironment {
  const account = stack.env.account ?? PLACEHOLDER_ACCOUNT;
  const region = stack.env.region ?? PLACEHOLDER_REGION;
  const china = region.startsWith('cn-');
  const partition = china ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return {
    account,
    region,
    partition,
    urlSuffix: china ? 'amazonaws.com.cn' : 'amazonaws.com',
    stackName: stack.stackName,
    stackId: `arn:${partition}:cloudformation:${region}:${account}:stack/${stack.stackName}/${stableId(stack.stackName, 'stack', 32)}`,
  };
}

/** A short lower-case id, stable for one stack and logical id (API Gateway ids are 10 such characters). */
export function stableId(stackName: string, logicalId: string, length = 10): string {
  const digest = createHash('sha256').update(`${stackName}/${logicalId}`).digest();
  let id = '';
  for (const byte of digest) {
    id += '0123456789abcdefghijklmnopqrstuvwxyz'[byte % 36];
    if (id.length === length) break;
  }
  return id;
}

/**
 * The name CloudFormation would generate for a resource without an explicit
 * name: `<stack>-<logicalId>-<suffix>`, kept within `max` characters. The
 * suffix is stable so that `--persist` finds the same tables after a restart.
 */
function generatedName(env: LocalEnvironment, logicalId: string, max: number): string {
  const suffix = stableId(env.stackName, logicalId, 12).toUpperCase();
  const head = `${env.stackName}-${logicalId}`.slice(0, max - suffix.length - 1);
  return `${head}-${suffix}`;
}

interface TypeNaming {
  /** The property holding an explicit name, if the type has one. */
  readonly nameProperty?: string;
  /** The longest name the service accepts. */
  readonly maxName?: number;
  /** What `Ref` returns, from the resource's name. */
  readonly ref?: (name: string, env: LocalEnvironment, id: string) => string;
  /** What each `Fn::GetAtt` attribute returns. */
  readonly attributes: Record<string, (name: string, env: LocalEnvironment, id: string) => string>;
}

const arn = (env: LocalEnvironment, service: string, resource: string, region = env.region) =>
  `arn:${env.partition}:${service}:${region}:${env.account}:${resource}`;

const executeApiHost = (apiId: string, env: LocalEnvironment) => `${apiId}.execute-api.${env.region}.${env.urlSuffix}`;

/**
 * What `Ref` and `Fn::GetAtt` return for the resource types the runner reads,
 * as each type's CloudFormation reference page lists them ("Return values").
 */
const NAMING: Record<string, TypeNaming> = {
  'AWS::DynamoDB::Table': {
    nameProperty: 'TableName',
    maxName: 255,
    attributes: {
      Arn: (n, env) => arn(env, 'dynamodb', `table/${n}`),
      StreamArn: (n, env) => arn(env, 'dynamodb', `table/${n}/stream/1970-01-01T00:00:00.000`),
    },
  },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    maxName: 64,
    attributes: { Arn: (n, env) => arn(env, 'lambda', `function:${n}`) },
  },
  // A version's and an alias's "name" here is `<function name>:<qualifier>` (see physicalName):
  // `Ref` of either is the qualified function ARN.
  'AWS::Lambda::Version': {
    ref: (n, env) => arn(env, 'lambda', `function:${n}`),
    attributes: { Version: (n) => n.slice(n.lastIndexOf(':') + 1), FunctionArn: (n, env) => arn(env, 'lambda', `function:${n}`) },
  },
  'AWS::Lambda::Alias': {
    ref: (n, env) => arn(env, 'lambda', `function:${n}`),
    attributes: { AliasArn: (n, env) => arn(env, 'lambda', `function:${n}`) },
  },
  // Locally every layer is at its first version.
  'AWS::Lambda::LayerVersion': {
    nameProperty: 'LayerName',
    maxName: 140,
    ref: (n, env) => arn(env, 'lambda', `layer:${n}:1`),
    attributes: { LayerVersionArn: (n, env) => arn(env, 'lambda', `layer:${n}:1`) },
  },
  // An API's "name" here is its local API id (see physicalName).
  'AWS::ApiGatewayV2::Api': {
    attributes: {
      ApiId: (n) => n,
      ApiEndpoint: (n, env) => `https://${executeApiHost(n, env)}`,
    },
  },
  // `Ref` of these is an id API Gateway generates (a stage's is its name).
  'AWS::ApiGatewayV2::Integration': { ref: (_n, env, id) => stableId(env.stackName, id, 7), attributes: {} },
  'AWS::ApiGatewayV2::Route': { ref: (_n, env, id) => stableId(env.stackName, id, 7), attributes: {} },
  'AWS::ApiGatewayV2::Authorizer': { ref: (_n, env, id) => stableId(env.stackName, id, 6), attributes: {} },
  'AWS::ApiGatewayV2::VpcLink': { ref: (_n, env, id) => stableId(env.stackName, id, 6), attributes: { VpcLinkId: (_n, env, id) => stableId(env.stackName, id, 6) } },
  'AWS::ApiGatewayV2::Stage': { nameProperty: 'StageName', attributes: {} },
  'AWS::StepFunctions::StateMachine': {
    nameProperty: 'StateMachineName',
    maxName: 80,
    ref: (n, env) => arn(env, 'states', `stateMachine:${n}`),
    attributes: { Arn: (n, env) => arn(env, 'states', `stateMachine:${n}`), Name: (n) => n },
  },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    maxName: 64,
    attributes: { Arn: (n, env) => arn(env, 'iam', `role/${n}`, ''), RoleId: (_n, env, id) => `AROA${stableId(env.stackName, id, 17).toUpperCase()}` },
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    maxName: 512,
    attributes: { Arn: (n, env) => arn(env, 'logs', `log-group:${n}:*`) },
  },
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    maxName: 80,
    ref: (n, env) => `https://sqs.${env.region}.${env.urlSuffix}/${env.account}/${n}`,
    attributes: {
      Arn: (n, env) => arn(env, 'sqs', n),
      QueueName: (n) => n,
      QueueUrl: (n, env) => `https://sqs.${env.region}.${env.urlSuffix}/${env.account}/${n}`,
    },
  },
  'AWS::SNS::Topic': {
    nameProperty: 'TopicName',
    maxName: 256,
    ref: (n, env) => arn(env, 'sns', n),
    attributes: { TopicArn: (n, env) => arn(env, 'sns', n), TopicName: (n) => n },
  },
  'AWS::Events::EventBus': {
    nameProperty: 'Name',
    maxName: 256,
    attributes: { Arn: (n, env) => arn(env, 'events', `event-bus/${n}`), Name: (n) => n },
  },
};

/**
 * The physical name a resource has locally: its explicit name property, else
 * a generated one. A Lambda version's is `<function>:<number>`, numbered
 * from 1 in template order among the function's versions (`versionNumber`;
 * CloudFormation publishes them in an order the template does not fix, so
 * this is the runner's choice); an alias's is `<function>:<alias name>`.
 */
export function physicalName(env: LocalEnvironment, logicalId: string, resource: CfnResource, versionNumber = 1): string {
  const naming = NAMING[resource.Type];
  if (resource.Type === 'AWS::Lambda::Version') return `${functionNameOf(resource.Properties?.FunctionName)}:${versionNumber}`;
  if (resource.Type === 'AWS::Lambda::Alias') return `${functionNameOf(resource.Properties?.FunctionName)}:${resource.Properties?.Name}`;
  const explicit = naming?.nameProperty ? resource.Properties?.[naming.nameProperty] : undefined;
  if (typeof explicit === 'string') return explicit;
  if (resource.Type === 'AWS::ApiGatewayV2::Api') return stableId(env.stackName, logicalId);
  return generatedName(env, logicalId, naming?.maxName ?? 128);
}

/**
 * A function's name from what a `FunctionName` property may hold: the name,
 * its ARN or a partial ARN (`123456789012:function:name`), with any qualifier dropped.
 */
export function functionNameOf(value: unknown): string {
  const text = String(value);
  const name = /(?:^|:)function:([^:]+)/.exec(text)?.[1];
  return name ?? text.split(':')[0];
}

/** What `Ref` of a resource returns locally, or undefined for a type the runner does not know. */
export function refValue(env: LocalEnvironment, logicalId: string, resource: CfnResource, name: string): string | undefined {
  const naming = NAMING[resource.Type];
  if (!naming) return undefined;
  return naming.ref ? naming.ref(name, env, logicalId) : name;
}

/** What `Fn::GetAtt` of a resource returns locally, or undefined for an attribute the runner does not know. */
export function attributeValue(env: LocalEnvironment, logicalId: string, resource: CfnResource, name: string, attribute: string): string | undefined {
  return NAMING[resource.Type]?.attributes[attribute]?.(name, env, logicalId);
}
