import { Authorizer, Verdict } from './authorizer';
import { SigningKey, SigV4Outcome, verifySigV4 } from './sigv4';
import { ApiRequest, IamIdentity, messageResponse } from '../api-request';

/** What an `AWS_IAM` route checks signatures against. */
export interface IamAuthorizerSettings {
  /** The key pairs the runner accepts: its own, which every function environment has. */
  readonly keys: SigningKey[];
  readonly region: string;
  /** The account the identity belongs to (the stack's). */
  readonly accountId: string;
  /** ms since the epoch, for the 5-minute window. @default Date.now */
  readonly clock?: () => number;
  readonly log: (line: string) => void;
}

/**
 * An `AWS_IAM` route: the request must be signed with Signature Version 4
 * for `execute-api` with a key the runner knows
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control-iam.html);
 * the caller's identity then reaches the integration as
 * `requestContext.authorizer.iam` (2.0) and `requestContext.identity` (1.0).
 * No IAM policy is evaluated: a valid signature is enough. A refusal is
 * 403 with the message AWS sends for the case (see `iamRefusal`).
 */
export class IamAuthorizer implements Authorizer {
  constructor(private readonly settings: IamAuthorizerSettings) {}

  public async authorize(request: ApiRequest): Promise<Verdict> {
    const now = (this.settings.clock ?? Date.now)();
    // The signature covers the request as the client sent it, not the headers API Gateway adds.
    const headers = request.headers.slice(0, request.clientHeaderCount ?? request.headers.length);
    const outcome = verifySigV4({ ...request, headers }, this.settings.keys, this.settings.region, now);
    if (!outcome.ok) {
      this.settings.log(`${request.method} ${request.rawPath} (${request.requestId}): AWS_IAM refused: ${outcome.detail}`);
      return { allow: false, response: messageResponse(403, iamRefusal(outcome, now)) };
    }
    return { allow: true, result: { iam: iamIdentity(outcome.accessKeyId, this.settings.accountId) } };
  }
}

/**
 * The 403 message for each refusal. AWS documents none for HTTP APIs; the
 * runner sends the texts recorded from API Gateway:
 * - no signature: `Forbidden`, what HTTP APIs answer (KensioSoftware/yulin#303;
 *   REST APIs say `Missing Authentication Token`);
 * - a key API Gateway does not know: `The security token included in the request is invalid.`
 *   (https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden);
 * - a date more than 5 minutes off: `Signature expired: <signed> is now earlier than <limit> (<now> - 5 min.)`
 *   (mhart/aws4#118); a presigned URL past its `X-Amz-Expires`, the same with its window; a date
 *   ahead, `Signature not yet current: ...` in the same form (the runner's wording);
 * - any other mismatch: `The request signature we calculated does not match ...`
 *   (rpgreen/apigateway-generic-java-sdk#11);
 * - an `Authorization` header, credential or date not in SigV4's form: `Forbidden` (the runner's choice).
 */
export function iamRefusal(outcome: Extract<SigV4Outcome, { ok: false }>, now: number): string {
  switch (outcome.problem) {
    case 'unknown-key':
      return 'The security token included in the request is invalid.';
    case 'expired': {
      const signed = outcome.signedAt!;
      const window = outcome.windowSeconds ?? 300;
      const stamp = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
      const span = window % 60 === 0 ? `${window / 60} min.` : `${window} sec.`;
      return signed < now
        ? `Signature expired: ${stamp(signed)} is now earlier than ${stamp(now - window * 1000)} (${stamp(now)} - ${span})`
        : `Signature not yet current: ${stamp(signed)} is still later than ${stamp(now + window * 1000)} (${stamp(now)} + ${span})`;
    }
    case 'mismatch':
      return 'The request signature we calculated does not match the signature you provided. '
        + 'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
    default:
      return 'Forbidden';
  }
}

/**
 * The caller as payload 2.0 shows it (`accessKey`, `accountId`, `callerId`,
 * `cognitoIdentity`, `principalOrgId`, `userArn`, `userId`): an IAM user of
 * the runner's own, since its key pair is the only one it accepts.
 */
export function iamIdentity(accessKey: string, accountId: string): IamIdentity {
  return {
    accessKey,
    accountId,
    callerId: LOCAL_USER_ID,
    cognitoIdentity: null,
    principalOrgId: null,
    userArn: `arn:aws:iam::${accountId}:user/apigw-local`,
    userId: LOCAL_USER_ID,
  };
}

/** An IAM user id of AWS's shape (`AIDA` and 17 more characters). */
const LOCAL_USER_ID = 'AIDALOCALRUNNER000000';
