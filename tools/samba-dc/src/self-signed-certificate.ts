import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';

/*
 * Real, small, deterministic X.509 certificates for the userCertificate of fixture computers
 * (a hybrid-joined Windows device publishes a self-signed certificate there). Node can sign
 * but not build certificates, so the DER is assembled here. Ed25519 (RFC 8410) because its
 * signatures are deterministic: the same seed gives byte-identical certificates.
 */

function length(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return [0x80 | bytes.length, ...bytes];
}

function der(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(content);
  return Buffer.concat([Uint8Array.from([tag, ...length(body.length)]), body]);
}

const sequence = (...items: Uint8Array[]): Uint8Array => der(0x30, ...items);

function oid(text: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = text.split('.').map(Number);
  const bytes = [40 * first + second];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return der(0x06, Uint8Array.from(bytes));
}

function positiveInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  // A set high bit would make the INTEGER negative.
  return der(0x02, ((trimmed[0] ?? 0) & 0x80) !== 0 ? Buffer.concat([Uint8Array.of(0), trimmed]) : trimmed);
}

function name(commonName: string): Uint8Array {
  return sequence(der(0x31, sequence(oid('2.5.4.3'), der(0x0c, Buffer.from(commonName, 'utf8')))));
}

const ED25519 = '1.3.101.112';
/** PKCS#8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410 section 7). */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An Ed25519 key pair derived from 32 seed bytes. */
export interface CertificateKey {
  readonly privateKey: KeyObject;
  readonly spki: Uint8Array;
}

/** Derives the signing key all fixture certificates of one seed share. */
export function certificateKey(seed32: Uint8Array): CertificateKey {
  if (seed32.length !== 32) throw new RangeError(`an Ed25519 seed has 32 bytes, got ${seed32.length}`);
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed32]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return { privateKey, spki };
}

/** Options for {@link selfSignedCertificate}. */
export interface CertificateOptions {
  /** Subject and issuer CN. */
  readonly commonName: string;
  /** Serial number bytes (up to 20; leading zeros are dropped). */
  readonly serial: Uint8Array;
  /** UTCTime strings, `YYMMDDHHMMSSZ`. */
  readonly notBefore: string;
  readonly notAfter: string;
}

/** A DER-encoded self-signed X.509 v3 certificate signed with `key`. */
export function selfSignedCertificate(key: CertificateKey, options: CertificateOptions): Uint8Array {
  const algorithm = sequence(oid(ED25519));
  const subject = name(options.commonName);
  const tbs = sequence(
    der(0xa0, positiveInteger(Uint8Array.of(2))), // [0] EXPLICIT version: v3
    positiveInteger(options.serial),
    algorithm,
    subject, // issuer = subject: self-signed
    sequence(der(0x17, Buffer.from(options.notBefore, 'ascii')), der(0x17, Buffer.from(options.notAfter, 'ascii'))),
    subject,
    key.spki,
  );
  const signature = sign(null, tbs, key.privateKey);
  return sequence(tbs, algorithm, der(0x03, Uint8Array.of(0), signature));
}
