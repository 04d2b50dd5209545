import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A token as printed to the admin once: `set_<id>_<secret>`. */
export interface MintedToken {
  readonly id: string;
  /** The whole token; shown once, never stored or logged. */
  readonly token: string;
  /** SHA-256 of the secret part, hex: what the store keeps. */
  readonly secretHash: string;
}

const TOKEN_PATTERN = /^set_(etk_[0-9a-f]{24})_([A-Za-z0-9_-]{43})$/;

/** A new enrollment token: 12 random bytes of id, 32 random bytes of secret (base64url). */
export function mintEnrollmentToken(): MintedToken {
  const id = `etk_${randomBytes(12).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { id, token: `set_${id}_${secret}`, secretHash: hashSecret(secret) };
}

/** The id and secret of a well-formed token; undefined for anything else. */
export function parseEnrollmentToken(text: string): { id: string; secret: string } | undefined {
  const match = TOKEN_PATTERN.exec(text);
  return match?.[1] && match[2] ? { id: match[1], secret: match[2] } : undefined;
}

/** SHA-256 of a secret, hex. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Whether `secret` hashes to `expectedHash`, compared in constant time. */
export function secretMatches(secret: string, expectedHash: string): boolean {
  const actual = Buffer.from(hashSecret(secret), 'hex');
  const expected = Buffer.from(expectedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
