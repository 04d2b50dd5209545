import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Looks up the site a pre-shared key belongs to. Keys are compared as SHA-256 digests with a
 * constant-time comparison, and every configured key is compared, so neither the time taken
 * nor an early exit tells an attacker how close a guess was.
 */
export class SiteKeyring {
  private readonly entries: { name: string; digest: Buffer }[];

  constructor(sites: readonly { name: string; key: string }[]) {
    this.entries = sites.map((s) => ({ name: s.name, digest: sha256(s.key) }));
  }

  /** The site name for `key`, or undefined. */
  siteFor(key: string): string | undefined {
    const digest = sha256(key);
    let match: string | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry.name;
    }
    return match;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
