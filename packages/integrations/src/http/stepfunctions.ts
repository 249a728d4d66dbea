import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import {
  HttpConnectionType,
  HttpIntegrationSubtype,
  HttpIntegrationType,
  HttpRouteIntegration,
  HttpRouteIntegrationBindOptions,
  HttpRouteIntegrationConfig,
  IntegrationCredentials,
  ParameterMapping,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { configError } from '../private/errors';
import { withDefault } from '../private/mapping';
import { integrationRole } from '../private/role';
import { HttpTimeout } from '../private/timeout';

const OWNER = 'HttpStepFunctionsIntegration';

/**
 * Properties of an HttpStepFunctionsIntegration.
 */
export interface HttpStepFunctionsIntegrationProps {
  /**
   * The state machine the route starts or stops executions of. An imported
   * machine (`StateMachine.fromStateMachineArn`) works too; give its
   * `stateMachineType` for START_SYNC_EXECUTION and STOP_EXECUTION.
   */
  readonly stateMachine: sfn.IStateMachine;

  /**
   * Which Step Functions API the route calls: START_EXECUTION, START_SYNC_EXECUTION
   * (Express machines only) or STOP_EXECUTION (Standard machines only).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services-reference.html
   * @default HttpIntegrationSubtype.STEPFUNCTIONS_START_EXECUTION
   */
  readonly subtype?: HttpIntegrationSubtype;

  /**
   * Request parameters of the Step Functions call. For START_EXECUTION and
   * START_SYNC_EXECUTION a missing `StateMachineArn` is added (on a copy); for
   * STOP_EXECUTION an `ExecutionArn` mapping is required.
   * @default - `StateMachineArn` of `stateMachine` only
   */
  readonly parameterMapping?: ParameterMapping;

  /**
   * How long API Gateway waits for Step Functions (50 ms to 30 s for HTTP APIs,
   * https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
   * A START_SYNC_EXECUTION route waits for the whole Express execution.
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;

  /**
   * The type of `stateMachine`, for an imported machine whose type CDK cannot read.
   * For a `StateMachine` construct the type is read from it, and a different
   * value here is a synth-time error.
   * @default - read from the StateMachine construct; STANDARD for an imported machine
   */
  readonly stateMachineType?: sfn.StateMachineType;

  /**
   * A role for API Gateway to assume instead of the one this integration creates.
   * The integration adds the single action it needs to the role's policy.
   * @default - a new role trusted by apigateway.amazonaws.com
   */
  readonly credentialsRole?: iam.IRole;
}

/**
 * Starts, synchronously starts, or stops Step Functions executions from an HTTP API route.
 */
export class HttpStepFunctionsIntegration extends HttpRouteIntegration {
  private readonly timeout: HttpTimeout;
  private boundRole?: iam.IRole;

  /**
   * @param id id of the underlying integration construct
   * @param props properties of the integration
   */
  constructor(id: string, private readonly props: HttpStepFunctionsIntegrationProps) {
    super(id);
    this.timeout = new HttpTimeout(OWNER, id, props.timeout);
  }

  /**
   * The role API Gateway assumes to call Step Functions: `credentialsRole`, or
   * the one the integration creates when it is bound to a route (so that a
   * caller can, say, acknowledge a finding on its policy without looking it up by id).
   * @default - `credentialsRole`; without it, undefined until the integration is bound to a route
   */
  public get role(): iam.IRole | undefined {
    return this.boundRole ?? this.props.credentialsRole;
  }

  public bind(options: HttpRouteIntegrationBindOptions): HttpRouteIntegrationConfig {
    const subtype = this.props.subtype ?? HttpIntegrationSubtype.STEPFUNCTIONS_START_EXECUTION;
    const type = this.machineType(subtype, options);
    if (!subtype.startsWith('StepFunctions-')) {
      configError(options.scope, 'SubtypeNotStepFunctions', OWNER, 'subtype',
        `'${subtype}' belongs to another service`,
        'use STEPFUNCTIONS_START_EXECUTION, STEPFUNCTIONS_START_SYNC_EXECUTION or STEPFUNCTIONS_STOP_EXECUTION, or the integration class of that service');
    }
    if (subtype === HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION && type === sfn.StateMachineType.STANDARD) {
      configError(options.scope, 'StartSyncOnStandard', OWNER, 'subtype',
        'STEPFUNCTIONS_START_SYNC_EXECUTION needs an EXPRESS state machine; StartSyncExecution does not run STANDARD workflows',
        'create the state machine with stateMachineType: StateMachineType.EXPRESS, or use STEPFUNCTIONS_START_EXECUTION');
    }
    const stop = subtype === HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION;
    if (stop && type === sfn.StateMachineType.EXPRESS) {
      configError(options.scope, 'StopOnExpress', OWNER, 'subtype',
        'STEPFUNCTIONS_STOP_EXECUTION needs a STANDARD state machine; Step Functions does not support StopExecution for EXPRESS workflows',
        'route STOP_EXECUTION to a STANDARD state machine, or let EXPRESS executions end by themselves');
    }
    if (stop && !(this.props.parameterMapping && 'ExecutionArn' in this.props.parameterMapping.mappings)) {
      configError(options.scope, 'StopWithoutExecutionArn', OWNER, 'parameterMapping',
        'STEPFUNCTIONS_STOP_EXECUTION needs an ExecutionArn mapping; StopExecution takes an execution ARN, not a state machine ARN',
        "pass parameterMapping: new ParameterMapping().custom('ExecutionArn', '$request.querystring.executionArn') (or another source)");
    }

    const role = integrationRole(options.scope, new iam.PolicyStatement({
      sid: 'AllowStepFunctionsExecution',
      actions: [actionOf(subtype)],
      resources: [stop ? this.executionArns(options) : this.props.stateMachine.stateMachineArn],
    }), { role: this.props.credentialsRole });
    this.boundRole = role;

    return {
      payloadFormatVersion: PayloadFormatVersion.VERSION_1_0,
      type: HttpIntegrationType.AWS_PROXY,
      subtype,
      credentials: IntegrationCredentials.fromRole(role),
      connectionType: HttpConnectionType.INTERNET,
      parameterMapping: stop
        ? this.props.parameterMapping
        : withDefault(this.props.parameterMapping, 'StateMachineArn', this.props.stateMachine.stateMachineArn),
      timeout: this.timeout.forBase,
    };
  }

  protected completeBind(options: HttpRouteIntegrationBindOptions): void {
    this.timeout.apply(options.scope);
  }

  private machineType(subtype: HttpIntegrationSubtype, options: HttpRouteIntegrationBindOptions): sfn.StateMachineType {
    const machine = this.props.stateMachine;
    if (machine instanceof sfn.StateMachine) {
      // The construct knows its type; a prop that says otherwise would hide a START_SYNC on STANDARD or a STOP on EXPRESS.
      if (this.props.stateMachineType && this.props.stateMachineType !== machine.stateMachineType) {
        configError(options.scope, 'MachineTypeMismatch', OWNER, 'stateMachineType',
          `${this.props.stateMachineType} contradicts the state machine ${machine.node.path}, which is ${machine.stateMachineType}`,
          'leave stateMachineType out for a StateMachine construct (it is read from the machine); it is only for imported machines');
      }
      return machine.stateMachineType;
    }
    if (this.props.stateMachineType) return this.props.stateMachineType;
    if (subtype !== HttpIntegrationSubtype.STEPFUNCTIONS_START_EXECUTION) {
      configError(options.scope, 'ImportedMachineType', OWNER, 'stateMachineType',
        `${subtype} depends on the type of the imported state machine, which CDK cannot read`,
        'pass stateMachineType: StateMachineType.EXPRESS or StateMachineType.STANDARD');
    }
    return sfn.StateMachineType.STANDARD;
  }

  /** Executions of this machine only: arn:...:execution:<machine name>:* */
  private executionArns(options: HttpRouteIntegrationBindOptions): string {
    const machine = this.props.stateMachine;
    const name = machine instanceof sfn.StateMachine
      ? machine.stateMachineName
      : Stack.of(options.scope).splitArn(machine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName;
    return Stack.of(options.route).formatArn({ service: 'states', resource: `execution:${name}:*` });
  }
}

function actionOf(subtype: HttpIntegrationSubtype): string {
  switch (subtype) {
    case HttpIntegrationSubtype.STEPFUNCTIONS_STOP_EXECUTION: return 'states:StopExecution';
    case HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION: return 'states:StartSyncExecution';
    default: return 'states:StartExecution';
  }
}
