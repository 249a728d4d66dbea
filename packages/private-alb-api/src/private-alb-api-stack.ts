import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PrivateAlbApi, PrivateAlbApiProps } from './private-alb-api';

/**
 * Properties of PrivateAlbApiStack.
 */
export interface PrivateAlbApiStackProps extends StackProps {
  /**
   * Properties of the API.
   * @default - PrivateAlbApi defaults: an internal ALB in front of a Fargate service
   */
  readonly privateAlbApi?: PrivateAlbApiProps;
}

/**
 * A stack with one PrivateAlbApi; outputs `ApiUrl`, by that exact logical id.
 */
export class PrivateAlbApiStack extends Stack {
  /** The API. */
  public readonly privateAlbApi: PrivateAlbApi;

  constructor(scope: Construct, id: string, props: PrivateAlbApiStackProps = {}) {
    super(scope, id, props);
    this.privateAlbApi = new PrivateAlbApi(this, 'PrivateAlbApi', props.privateAlbApi);
    // A fixed id, documented: deploy scripts read the output by this name.
    this.privateAlbApi.stage.urlOutput?.overrideLogicalId('ApiUrl');
  }
}
