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
 * A stack with one SfnApi; outputs `ApiUrl` and the machine ARNs.
 */
export class SfnApiStack extends Stack {
  /** The API. */
  public readonly sfnApi: SfnApi;

  constructor(scope: Construct, id: string, props: SfnApiStackProps = {}) {
    super(scope, id, props);
    this.sfnApi = new SfnApi(this, 'SfnApi', props.sfnApi);
  }
}
