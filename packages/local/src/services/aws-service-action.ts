import { request } from 'node:http';

/** A service's answer to one action, as it came over the wire. */
export interface ActionResult {
  readonly status: number;
  readonly body: string;
  /** `x-amzn-ErrorType` (or `__type`) of an error answer. */
  readonly errorType?: string;
}

/** JSON-protocol targets of the services an AWS integration can call here. */
const TARGETS: Record<string, string> = { dynamodb: 'DynamoDB_20120810' };

/** Whether the runner can run `action` of `service` for an AWS integration. */
export function canCallAction(service: string): boolean {
  return service in TARGETS;
}

/**
 * Sends one action of a JSON-protocol service (`POST /`,
 * `x-amz-target: <prefix>.<Action>`) to the embedded endpoint, the body as
 * the mapping template rendered it, and returns the answer unparsed, as an
 * AWS integration of API Gateway receives it. The request is signed with
 * dummy credentials in form only: the embedded services check no signature.
 */
export function callAction(endpoint: string, service: string, action: string, body: string, region: string): Promise<ActionResult> {
  const url = new URL(endpoint);
  const day = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return new Promise((resolve, reject) => {
    const req = request({
      hostname: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `${TARGETS[service]}.${action}`,
        'x-amz-date': `${day}T000000Z`,
        'authorization': `AWS4-HMAC-SHA256 Credential=apigw-local/${day}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0`,
        'content-length': Buffer.byteLength(body),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const header = res.headers['x-amzn-errortype'];
        let errorType = typeof header === 'string' ? header.split(':')[0] : undefined;
        if (!errorType && (res.statusCode ?? 500) >= 400) {
          try {
            errorType = String(JSON.parse(text).__type ?? '').split('#').pop() || undefined;
          } catch {
            errorType = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 500, body: text, errorType });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
