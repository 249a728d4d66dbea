import { BooksApi } from '@apigw-blueprints/books-api';
import { PrivateAlbApi } from '@apigw-blueprints/private-alb-api';
import { SfnApi } from '@apigw-blueprints/sfn-api';
import { WebSocketChat } from '@apigw-blueprints/websocket-chat';
import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Every pattern in one stack, as a user composes them: two book catalogues,
 * an order API, a chat and a private service, beside an output of the
 * user's own named `ApiUrl` (the patterns' outputs have ids of their own).
 */
export class ComposedStack extends Stack {
  public readonly fiction: BooksApi;
  public readonly poetry: BooksApi;
  public readonly orders: SfnApi;
  public readonly chat: WebSocketChat;
  public readonly service: PrivateAlbApi;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    // A sample: the tables go with the stack.
    const disposable = { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: false };
    this.fiction = new BooksApi(this, 'Fiction', disposable);
    this.poetry = new BooksApi(this, 'Poetry', disposable);
    this.orders = new SfnApi(this, 'Orders', { executionStatusRoute: true });
    this.chat = new WebSocketChat(this, 'Chat');
    this.service = new PrivateAlbApi(this, 'Service');
    new CfnOutput(this, 'ApiUrl', { value: this.fiction.api.apiEndpoint, description: "The user's own output, named like the patterns' documented ones" });
  }
}
