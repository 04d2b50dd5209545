import { createHash, timingSafeEqual } from 'node:crypto';

/** A configured site, as the keyring hands it out (never with its key). */
export interface KeyedSite {
  readonly name: string;
  readonly tenant?: string;
}

/**
 * Looks up the site a pre-shared key belongs to. Keys are compared as SHA-256 digests with a
 * constant-time comparison, and every configured key is compared, so neither the time taken
 * nor an early exit tells an attacker how close a guess was.
 */
export class SiteKeyring {
  private readonly entries: { site: KeyedSite; digest: Buffer }[];

  constructor(sites: readonly (KeyedSite & { key: string })[]) {
    this.entries = sites.map(({ key, ...site }) => ({ site, digest: sha256(key) }));
  }

  /** The site `key` belongs to, or undefined. */
  siteFor(key: string): KeyedSite | undefined {
    const digest = sha256(key);
    let match: KeyedSite | undefined;
    for (const entry of this.entries) {
      if (timingSafeEqual(entry.digest, digest) && match === undefined) match = entry.site;
    }
    return match;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
