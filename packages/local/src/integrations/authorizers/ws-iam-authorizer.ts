import { iamIdentity } from './iam-authorizer';
import { SigningKey, verifySigV4 } from './sigv4';
import { WsVerdict } from './ws-lambda-authorizer';
import { WsRequest } from '../websocket/ws-request';

/** What an `AWS_IAM` `$connect` checks signatures against. */
export interface WsIamAuthorizerSettings {
  readonly keys: SigningKey[];
  readonly region: string;
  readonly clock?: () => number;
  readonly log: (line: string) => void;
}

/**
 * `AWS_IAM` on a WebSocket API's `$connect`: the handshake must be signed
 * with Signature Version 4 for `execute-api`, in its headers or as a
 * presigned URL (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-control-access-iam.html);
 * otherwise it is refused with 403. The caller's identity travels with the
 * connection, as a Lambda authorizer's result does.
 */
export class WsIamAuthorizer {
  constructor(private readonly settings: WsIamAuthorizerSettings) {}

  public async authorize(request: WsRequest): Promise<WsVerdict> {
    const c = request.connection;
    const outcome = verifySigV4(
      { method: 'GET', rawPath: c.rawPath, rawQueryString: c.rawQueryString, headers: c.headers, body: Buffer.alloc(0) },
      this.settings.keys, this.settings.region, (this.settings.clock ?? Date.now)(),
    );
    if (!outcome.ok) {
      this.settings.log(`$connect (${c.id}): AWS_IAM refused: ${outcome.detail}`);
      return { allow: false, status: 403 };
    }
    return { allow: true, iam: iamIdentity(outcome.accessKeyId, request.api.accountId) };
  }
}
