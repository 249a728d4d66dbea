import { defaultPolicyOf } from '@apigw-blueprints/integrations/lib/private/children';
import { acknowledgeNagRule } from '@apigw-blueprints/integrations/lib/private/nag';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';

/**
 * Properties of an OrderWorkflow.
 */
export interface OrderWorkflowProps {
  /** EXPRESS (answers synchronously) or STANDARD (can be stopped). */
  readonly stateMachineType: sfn.StateMachineType;
  /** The function that prices an order (the package's price-order handler). */
  readonly pricingFunction: lambda.IFunction;
  /**
   * Seconds the STANDARD variant waits before pricing, so /stop has something to stop.
   * @default 30
   */
  readonly waitSeconds?: number;
  /**
   * Retention of the execution log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The sample order check: a Choice validates the input (items present, each
 * quantity a number >= 1), a Lambda task prices the order, then Succeed with
 * the priced order or Fail with an error and cause. Logged to CloudWatch (ALL
 * with execution data for Express, ERROR for Standard) and traced with X-Ray.
 */
export class OrderWorkflow extends Construct {
  /** The error name of every rejected order. */
  public static readonly INVALID_ORDER = 'InvalidOrder';

  /** The state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** Its execution log group. */
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: OrderWorkflowProps) {
    super(scope, id);
    const express = props.stateMachineType === sfn.StateMachineType.EXPRESS;
    const invalid = (stateId: string, cause: string) => new sfn.Fail(this, stateId, { error: OrderWorkflow.INVALID_ORDER, cause });

    // Choice rules cannot iterate an array, so a Map checks each item.
    const checkItem = new sfn.Choice(this, 'Quantity is a number >= 1?')
      .when(sfn.Condition.and(
        sfn.Condition.isPresent('$.quantity'),
        sfn.Condition.isNumeric('$.quantity'),
        sfn.Condition.numberGreaterThanEquals('$.quantity', 1),
        sfn.Condition.isPresent('$.sku'),
        sfn.Condition.isString('$.sku'),
      ), new sfn.Pass(this, 'Item is valid'))
      .otherwise(invalid('Invalid item', 'every item needs a string sku and a quantity of at least 1'));
    const checkItems = new sfn.Map(this, 'Check every item', { itemsPath: '$.items', resultPath: sfn.JsonPath.DISCARD });
    checkItems.itemProcessor(checkItem);

    const price = new tasks.LambdaInvoke(this, 'Price the order', {
      lambdaFunction: props.pricingFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
    });
    // The pricing function names what a Choice cannot check (whole numbers, known SKUs).
    price.addCatch(new sfn.Fail(this, 'Order rejected by pricing', {
      error: OrderWorkflow.INVALID_ORDER,
      causePath: sfn.JsonPath.stringAt('$.failure.Cause'),
    }), { errors: [OrderWorkflow.INVALID_ORDER], resultPath: '$.failure' });
    const priced = price.next(new sfn.Succeed(this, 'Priced'));

    const afterValidation = express
      ? checkItems.next(priced)
      : checkItems.next(new sfn.Wait(this, 'Wait before pricing', { time: sfn.WaitTime.duration(Duration.seconds(props.waitSeconds ?? 30)) })).next(priced);

    const definition = new sfn.Choice(this, 'Has items?')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.items'), sfn.Condition.isPresent('$.items[0]')), afterValidation)
      .otherwise(invalid('No items', 'an order needs a non-empty "items" array'));

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineType: props.stateMachineType,
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      tracingEnabled: true,
      logs: express
        ? { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true }
        : { destination: this.logGroup, level: sfn.LogLevel.ERROR },
      // Express runs behind StartSyncExecution, which must answer within the HTTP API's 30 s integration
      // limit: past 29 s the execution ends TIMED_OUT and the client gets that, not API Gateway's 503.
      timeout: express ? Duration.seconds(29) : Duration.hours(1),
    });
    if (!express) {
      acknowledgeNagRule(this.stateMachine, 'AwsSolutions-SF1',
        'Standard executions log ERROR only: ALL would copy every state\'s input and output of long-running orders to CloudWatch; the execution history keeps them 90 days');
    }
    const policy = defaultPolicyOf(this.stateMachine.role);
    acknowledgeNagRule(policy, 'AwsSolutions-IAM5',
      'CloudWatch Logs delivery (logs:CreateLogDelivery and related) and X-Ray actions have no resource-level permissions', { resource: '*' });
    // LambdaInvoke grants the function's ARN and `<ARN>:*`.
    acknowledgeNagRule(policy, 'AwsSolutions-IAM5', 'LambdaInvoke grants the pricing function and its versions (ARN:*), nothing else',
      { resource: `${props.pricingFunction.functionArn}:*` });
  }
}
