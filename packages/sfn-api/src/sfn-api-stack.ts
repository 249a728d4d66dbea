import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SfnApi, SfnApiProps } from './sfn-api';

/**
 * Properties of SfnApiStack.
 */
export interface SfnApiStackProps extends StackProps {
  /**
   * Properties of the API.
   * @default - SfnApi defaults: the sample order workflows
   */
  readonly sfnApi?: SfnApiProps;
}

/**
 * A stack with one SfnApi; outputs `ApiUrl` (unless `sfnApi.existingApi` is
 * given: the stage is then yours), `StandardStateMachineArn` and
 * `ExpressStateMachineArn` (for the machines it serves), by those exact logical ids.
 */
export class SfnApiStack extends Stack {
  /** The API. */
  public readonly sfnApi: SfnApi;

  constructor(scope: Construct, id: string, props: SfnApiStackProps = {}) {
    super(scope, id, props);
    this.sfnApi = new SfnApi(this, 'SfnApi', props.sfnApi);
    // Fixed ids, documented: deploy scripts read the outputs by these names.
    this.sfnApi.stage?.urlOutput?.overrideLogicalId('ApiUrl');
    this.sfnApi.standardStateMachineArnOutput?.overrideLogicalId('StandardStateMachineArn');
    this.sfnApi.expressStateMachineArnOutput?.overrideLogicalId('ExpressStateMachineArn');
  }
}
