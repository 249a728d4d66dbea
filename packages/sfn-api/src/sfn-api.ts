import * as path from 'node:path';
import {
  DefaultHttpStage, ExistingHttpApiProps, HandlerFunction, HandlerFunctionOptions, HttpLambdaIntegration, HttpStepFunctionsIntegration,
  PatternHttpApi, PatternHttpApiProps, PatternMonitoring, PatternMonitoringProps,
} from '@apigw-blueprints/integrations';
import { defaultPolicyOf } from '@apigw-blueprints/integrations/lib/private/children';
import { configError } from '@apigw-blueprints/integrations/lib/private/errors';
import { acknowledgeNagRule } from '@apigw-blueprints/integrations/lib/private/nag';
import { ArnFormat, CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { OrderWorkflow } from './order-workflow';

const EXECUTIONS_REASON = 'Execution ARNs exist only at runtime: the grant covers the executions of this one state machine (execution:<machine name>:*)';

// Handlers are bundled at build time into assets/<handler>/index.js, shipped in the package.
const ASSETS = path.join(__dirname, '..', 'assets');

/**
 * Properties of SfnApi.
 */
export interface SfnApiProps extends PatternHttpApiProps, ExistingHttpApiProps, PatternMonitoringProps {
  /**
   * The STANDARD machine behind `POST /start` and `POST /stop`.
   * @default - the sample order workflow (Standard), unless only `expressStateMachine` is given
   */
  readonly standardStateMachine?: sfn.IStateMachine;
  /**
   * The EXPRESS machine behind `POST /start-sync` (StartSyncExecution runs Express workflows only).
   * @default - the sample order workflow (Express), unless only `standardStateMachine` is given
   */
  readonly expressStateMachine?: sfn.IStateMachine;
  /**
   * Seconds the sample Standard workflow waits before pricing, so there is time to stop it.
   * @default 30
   */
  readonly waitSeconds?: number;
  /**
   * Add `GET /executions/{name}`: the status of a Standard execution, read with DescribeExecution.
   * @default false
   */
  readonly executionStatusRoute?: boolean;
  /**
   * Retention of the execution and function log groups.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Memory, timeout (at most 30 seconds, the HTTP API's integration limit),
   * reserved concurrency, more environment variables and the log level of
   * each function the pattern creates: the sample workflows' pricing
   * function and the `executionStatusRoute` function.
   * @default - HandlerFunctionOptions defaults: 256 MB, 10 seconds, no reserved concurrency, log level INFO
   */
  readonly functions?: HandlerFunctionOptions;
}

/**
 * Start, start synchronously and stop Step Functions workflows over an HTTP API:
 * `POST /start` and `POST /stop?executionArn=...` on a Standard machine,
 * `POST /start-sync` on an Express machine. The request body is the execution input.
 */
export class SfnApi extends Construct {
  /** The HTTP API. */
  public readonly api: apigwv2.HttpApi;
  /** Its stage, with access logs, throttling and the URL output; undefined with `existingApi` (the stage is yours). */
  public readonly stage?: DefaultHttpStage;
  /** The stack output with the Standard machine's ARN, when /start and /stop exist. */
  public readonly standardStateMachineArnOutput?: CfnOutput;
  /** The stack output with the Express machine's ARN, when /start-sync exists. */
  public readonly expressStateMachineArnOutput?: CfnOutput;
  /** The Standard machine, when /start and /stop exist. */
  public readonly standardStateMachine?: sfn.IStateMachine;
  /** The Express machine, when /start-sync exists. */
  public readonly expressStateMachine?: sfn.IStateMachine;
  /** The pricing function of the sample workflows, when they are built. */
  public readonly pricingFunction?: lambda.IFunction;
  /** The status function, with `executionStatusRoute`. */
  public readonly executionStatusFunction?: lambda.IFunction;
  /** The alarms (none with `alarms: false`); see the README for the list. */
  public readonly alarms: cloudwatch.Alarm[];
  /** The dashboard, with `dashboard: true`. */
  public readonly dashboard?: cloudwatch.Dashboard;
  /** The custom domain, when given. */
  public readonly domain?: apigwv2.DomainName;

  constructor(scope: Construct, id: string, props: SfnApiProps = {}) {
    super(scope, id);
    checkMachineTypes(this, props);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const buildSamples = !props.standardStateMachine && !props.expressStateMachine;
    if (buildSamples) {
      this.pricingFunction = new HandlerFunction(this, 'PriceOrder', {
        codeDirectory: path.join(ASSETS, 'price-order'),
        description: 'sfn-api price-order: no AWS permissions',
        logRetention,
        options: props.functions,
        optionsOwner: 'SfnApi',
      }).function;
      const workflow = (wfId: string, type: sfn.StateMachineType) => new OrderWorkflow(this, wfId, {
        stateMachineType: type, pricingFunction: this.pricingFunction!, waitSeconds: props.waitSeconds, logRetention,
      }).stateMachine;
      this.standardStateMachine = workflow('StandardOrders', sfn.StateMachineType.STANDARD);
      this.expressStateMachine = workflow('ExpressOrders', sfn.StateMachineType.EXPRESS);
    } else {
      this.standardStateMachine = props.standardStateMachine;
      this.expressStateMachine = props.expressStateMachine;
    }

    const front = PatternHttpApi.create(this, {
      ...props,
      owner: 'SfnApi',
      corsAllowMethods: [apigwv2.CorsHttpMethod.GET, apigwv2.CorsHttpMethod.POST],
    });
    this.api = front.api;
    this.stage = front.stage;
    this.domain = front.domain;
    const route = (routePath: string, method: apigwv2.HttpMethod, integration: apigwv2.HttpRouteIntegration) =>
      PatternHttpApi.addRoute(front, routePath, method, integration);
    // The body becomes the execution input; the machine ARN is fixed by the route.
    const startMapping = () => new apigwv2.ParameterMapping().custom('Input', '$request.body');
    const standard = this.standardStateMachine;
    const express = this.expressStateMachine;
    if (standard) {
      route('/start', apigwv2.HttpMethod.POST, new HttpStepFunctionsIntegration('Start', {
        stateMachine: standard,
        stateMachineType: sfn.StateMachineType.STANDARD,
        subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_START_EXECUTION,
        parameterMapping: startMapping(),
      }));
      const stop = new HttpStepFunctionsIntegration('Stop', {
        stateMachine: standard,
        stateMachineType: sfn.StateMachineType.STANDARD,
        subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION,
        parameterMapping: new apigwv2.ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn'),
      });
      route('/stop', apigwv2.HttpMethod.POST, stop);
      acknowledgeNagRule(defaultPolicyOf(stop.role!), 'AwsSolutions-IAM5', EXECUTIONS_REASON, { resource: executionArns(this, standard) });
      this.standardStateMachineArnOutput = new CfnOutput(this, 'StandardStateMachineArn', { value: standard.stateMachineArn });
    }
    if (express) {
      route('/start-sync', apigwv2.HttpMethod.POST, new HttpStepFunctionsIntegration('StartSync', {
        stateMachine: express,
        stateMachineType: sfn.StateMachineType.EXPRESS,
        subtype: apigwv2.HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION,
        parameterMapping: startMapping(),
      }));
      this.expressStateMachineArnOutput = new CfnOutput(this, 'ExpressStateMachineArn', { value: express.stateMachineArn });
    }

    if (props.executionStatusRoute) {
      if (!standard) {
        configError(this, 'StatusNeedsStandard', 'SfnApi', 'executionStatusRoute', 'needs a Standard machine (DescribeExecution does not serve Express executions)',
          'give standardStateMachine, or drop executionStatusRoute');
      }
      const status = new HandlerFunction(this, 'ExecutionStatus', {
        codeDirectory: path.join(ASSETS, 'execution-status'),
        environment: { STATE_MACHINE_ARN: standard.stateMachineArn },
        description: 'sfn-api execution-status: DescribeExecution on the Standard machine\'s executions',
        logRetention,
        options: props.functions,
        optionsOwner: 'SfnApi',
      });
      this.executionStatusFunction = status.function;
      status.function.addToRolePolicy(new iam.PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: [executionArns(this, standard)],
      }));
      acknowledgeNagRule(defaultPolicyOf(status.role), 'AwsSolutions-IAM5', EXECUTIONS_REASON, { resource: executionArns(this, standard) });
      route('/executions/{name}', apigwv2.HttpMethod.GET, new HttpLambdaIntegration('ExecutionStatus', status.function));
    }

    const monitoring = new PatternMonitoring(this, 'Monitoring', { ...props, owner: 'SfnApi' });
    if (front.watchedStageName) monitoring.watchHttpStage('API', this.api.apiId, front.watchedStageName);
    else monitoring.note('API', 'existingApi has no default stage and existingApiStageName is not given: no stage alarms.');
    if (standard) monitoring.watchStateMachine('StandardMachine', standard);
    if (express) monitoring.watchStateMachine('ExpressMachine', express);
    for (const [name, fn] of [['PriceOrder', this.pricingFunction], ['ExecutionStatus', this.executionStatusFunction]] as const) {
      if (fn instanceof lambda.Function) monitoring.watchFunction(name, fn, fn.timeout!);
    }
    this.alarms = monitoring.alarms;
    this.dashboard = monitoring.dashboard;
  }
}

/** The executions of `machine` only: arn:...:execution:<machine name>:* */
function executionArns(scope: Construct, machine: sfn.IStateMachine): string {
  const stack = Stack.of(scope);
  // The same ARN the integration grants StopExecution on, so both read alike.
  const name = machine instanceof sfn.StateMachine
    ? machine.stateMachineName
    : stack.splitArn(machine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
  return stack.formatArn({ service: 'states', resource: 'execution', resourceName: `${name}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/**
 * A machine construct of the wrong type fails here, naming SfnApi's prop:
 * /start-sync needs EXPRESS (StartSyncExecution), /stop needs STANDARD
 * (StopExecution does not serve Express executions). An imported machine's
 * type cannot be read; the integration then trusts the prop it was given.
 */
function checkMachineTypes(scope: Construct, props: SfnApiProps): void {
  const check = (prop: string, machine: sfn.IStateMachine | undefined, expected: sfn.StateMachineType, why: string) => {
    if (machine instanceof sfn.StateMachine && machine.stateMachineType !== expected) {
      configError(scope, 'MachineTypeMismatch', 'SfnApi', prop, `${machine.node.path} is ${machine.stateMachineType}, and ${why}`,
        `give a ${expected} machine as ${prop}, or pass this one as ${expected === sfn.StateMachineType.STANDARD ? 'expressStateMachine' : 'standardStateMachine'}`);
    }
  };
  check('standardStateMachine', props.standardStateMachine, sfn.StateMachineType.STANDARD, 'POST /stop calls StopExecution, which Express executions do not support');
  check('expressStateMachine', props.expressStateMachine, sfn.StateMachineType.EXPRESS, 'POST /start-sync calls StartSyncExecution, which runs Express machines only');
}
