import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { WebSocketChat, WebSocketChatProps } from './websocket-chat';

/**
 * Properties of WebSocketChatStack.
 */
export interface WebSocketChatStackProps extends StackProps {
  /**
   * Properties of the chat.
   * @default - WebSocketChat defaults
   */
  readonly chat?: WebSocketChatProps;
}

/**
 * A stack with one WebSocketChat; outputs `WebSocketUrl`, `WebSocketCallbackUrl` and `TableName`, by those exact logical ids.
 */
export class WebSocketChatStack extends Stack {
  /** The chat. */
  public readonly chat: WebSocketChat;

  constructor(scope: Construct, id: string, props: WebSocketChatStackProps = {}) {
    super(scope, id, props);
    this.chat = new WebSocketChat(this, 'Chat', props.chat);
    // Fixed ids, documented: deploy scripts read the outputs by these names.
    this.chat.stage.urlOutput?.overrideLogicalId('WebSocketUrl');
    this.chat.stage.callbackUrlOutput?.overrideLogicalId('WebSocketCallbackUrl');
    new CfnOutput(this, 'TableName', { value: this.chat.table.tableName, description: 'The connections table' });
  }
}
