import { DefaultHttpStage, HttpStepFunctionsIntegration } from '@apigw-blueprints/integrations';
import { HttpApi, HttpIntegrationSubtype, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/**
 * Properties of SfnApi.
 */
export interface SfnApiProps {
  /**
   * The Express workflow `POST /executions/sync` runs.
   * @default - a Pass state that returns its input
   */
  readonly expressStateMachine?: sfn.IStateMachine;
}

/**
 * Runs a Step Functions Express workflow synchronously over an HTTP API.
 */
export class SfnApi extends Construct {
  /** The HTTP API. */
  public readonly api: HttpApi;
  /** The Express state machine. */
  public readonly expressStateMachine: sfn.IStateMachine;

  constructor(scope: Construct, id: string, props: SfnApiProps = {}) {
    super(scope, id);
    this.expressStateMachine = props.expressStateMachine ?? new sfn.StateMachine(this, 'Express', {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(this, 'Echo')),
    });
    this.api = new HttpApi(this, 'Api', { createDefaultStage: false });
    new DefaultHttpStage(this, 'Stage', { httpApi: this.api });
    this.api.addRoutes({
      path: '/executions/sync',
      methods: [HttpMethod.POST],
      integration: new HttpStepFunctionsIntegration('StartSync', {
        stateMachine: this.expressStateMachine,
        subtype: HttpIntegrationSubtype.STEPFUNCTIONS_START_SYNC_EXECUTION,
        stateMachineType: sfn.StateMachineType.EXPRESS,
      }),
    });
  }
}
