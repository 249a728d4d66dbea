import { createHash, generateKeyPairSync, KeyObject, randomBytes, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, SecureContext } from 'node:tls';
import { bitString, boolean, explicit, implicit, octetString, oid, sequence, set, time, unsignedInteger, utf8String } from './der';

/** The TLS identity the API ports present, and the authority that vouches for it. */
export interface LocalTls {
  /** The authority's certificate (PEM): what a client trusts (`curl --cacert`, `NODE_EXTRA_CA_CERTS`). */
  readonly caFile: string;
  /** The API ports' key and certificate, for 127.0.0.1, ::1 and localhost. */
  readonly secureContext: SecureContext;
  /** Deletes the authority's folder. */
  remove(): Promise<void>;
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));
const COMMON_NAME = '2.5.4.3';
const HOUR_MS = 3_600_000;

/**
 * A certificate authority made for this run only, and a server certificate
 * it signs for the loopback names. The authority's key is never written
 * anywhere and is dropped once it has signed, so it signs nothing else; its certificate is written to a fresh temporary
 * folder so that function environments and the developer's clients can
 * trust it. A new run makes a new one: nothing stays trusted after the
 * runner stops. P-256 keys, because Node.js makes them in a millisecond.
 */
export async function createLocalTls(): Promise<LocalTls> {
  const now = Date.now();
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caName = name(`apigw-local CA ${new Date(now).toISOString()}`);
  // A clock set a little wrong must not make the certificates "not yet valid".
  const validity = { notBefore: new Date(now - HOUR_MS), notAfter: new Date(now + 30 * 24 * HOUR_MS) };
  const caCert = certificate({
    issuer: caName,
    subject: caName,
    subjectKey: ca.publicKey,
    signingKey: ca.privateKey,
    issuerKey: ca.publicKey,
    ...validity,
    extensions: [
      extension('2.5.29.19', true, sequence(boolean(true), unsignedInteger(Buffer.from([0])))),
      // keyCertSign and cRLSign.
      extension('2.5.29.15', true, bitString(Buffer.from([0x06]), 1)),
    ],
  });
  const serverCert = certificate({
    issuer: caName,
    subject: name('127.0.0.1'),
    subjectKey: server.publicKey,
    signingKey: ca.privateKey,
    issuerKey: ca.publicKey,
    ...validity,
    extensions: [
      extension('2.5.29.19', true, sequence()),
      // digitalSignature: what an ECDHE handshake signs with.
      extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)),
      extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))),
      // Clients match the host against these, never the common name (RFC 6125).
      extension('2.5.29.17', false, sequence(
        implicit(2, Buffer.from('localhost', 'ascii')),
        implicit(7, Buffer.from([127, 0, 0, 1])),
        implicit(7, Buffer.concat([Buffer.alloc(15), Buffer.from([1])])),
      )),
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'apigw-local-ca-'));
  const caFile = join(dir, 'ca.pem');
  await writeFile(caFile, pem(caCert), { mode: 0o644 });
  const key = server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    caFile,
    secureContext: createSecureContext({ key, cert: pem(serverCert) + pem(caCert) }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

interface CertificateParts {
  readonly issuer: Buffer;
  readonly subject: Buffer;
  readonly subjectKey: KeyObject;
  readonly issuerKey: KeyObject;
  readonly signingKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: Buffer[];
}

/** An X.509 v3 certificate (RFC 5280, 4.1), DER-encoded, signed with ECDSA over SHA-256. */
function certificate(parts: CertificateParts): Buffer {
  const serial = randomBytes(16);
  // Positive and at most 20 bytes (RFC 5280, 4.1.2.2).
  serial[0] %= 0x80;
  const subjectKeyInfo = parts.subjectKey.export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    ECDSA_WITH_SHA256,
    parts.issuer,
    sequence(time(parts.notBefore), time(parts.notAfter)),
    parts.subject,
    subjectKeyInfo,
    explicit(3, sequence(
      ...parts.extensions,
      extension('2.5.29.14', false, octetString(keyId(parts.subjectKey))),
      extension('2.5.29.35', false, sequence(implicit(0, keyId(parts.issuerKey)))),
    )),
  );
  return sequence(tbs, ECDSA_WITH_SHA256, bitString(sign('sha256', tbs, parts.signingKey)));
}

/** A Name of one common name. */
function name(commonName: string): Buffer {
  return sequence(set(sequence(oid(COMMON_NAME), utf8String(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

/** The key identifier of RFC 5280's method (1): SHA-1 of the public key's bits. */
function keyId(key: KeyObject): Buffer {
  // An uncompressed EC point (0x04, x, y) is what the SubjectPublicKeyInfo's closing BIT STRING holds.
  const { x, y } = key.export({ format: 'jwk' });
  return createHash('sha1').update(Buffer.concat([Buffer.from([4]), Buffer.from(x!, 'base64url'), Buffer.from(y!, 'base64url')])).digest();
}

function pem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return `-----BEGIN CERTIFICATE-----\n${lines}\n-----END CERTIFICATE-----\n`;
}
