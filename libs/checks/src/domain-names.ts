import { parse } from 'tldts';

/**
 * Top-level-domain facts from the maintained public suffix list (the `tldts` package ships
 * the list in its tarball; nothing is fetched at run time).
 */

const icannTldCache = new Map<string, boolean>();

/** True when `label` (no dots, any case) is a top-level domain in the ICANN section of the list. */
export function isIcannTld(label: string): boolean {
  const key = label.toLowerCase();
  let known = icannTldCache.get(key);
  if (known === undefined) {
    known = key.length > 0 && !key.includes('.') && parse(`example.${key}`, { allowPrivateDomains: false }).isIcann === true;
    icannTldCache.set(key, known);
  }
  return known;
}

/**
 * IdFix parity: its frozen list held ASCII-letter TLDs only, each with a leading dot, and it
 * compared the text from the last dot on. We derive the same shape from the public suffix
 * list: single-label ICANN TLDs made of ASCII letters (so IDN `xn--` TLDs stay invalid, as in
 * IdFix, while TLDs delegated after IdFix froze its list, such as `.app`, are valid here).
 */
export function isIdFixValidTld(dottedTld: string): boolean {
  const label = dottedTld.startsWith('.') ? dottedTld.slice(1) : dottedTld;
  return /^[a-z]+$/i.test(label) && isIcannTld(label);
}

/** Suffixes that are never routable on the internet, named so messages can say which. */
const RESERVED_SUFFIXES = new Set(['local', 'lan', 'internal', 'corp', 'localdomain', 'home', 'intranet', 'private']);

/** Why a domain cannot be verified in a tenant, or undefined when it can be. */
export type NonRoutableReason = 'single-label' | 'reserved-suffix' | 'unknown-tld';

const routableCache = new Map<string, NonRoutableReason | null>();

/** Classifies a DNS domain (UPN suffix or mail domain) as routable or not. */
export function nonRoutableReason(domain: string): NonRoutableReason | undefined {
  const key = domain.toLowerCase().replace(/\.$/, '');
  let reason = routableCache.get(key);
  if (reason === undefined) {
    const labels = key.split('.');
    const tld = labels[labels.length - 1] ?? '';
    if (labels.length < 2 || labels.some((l) => l.length === 0)) reason = 'single-label';
    else if (RESERVED_SUFFIXES.has(tld)) reason = 'reserved-suffix';
    else if (!isIcannTld(tld)) reason = 'unknown-tld';
    else reason = null;
    routableCache.set(key, reason);
  }
  return reason ?? undefined;
}

/**
 * True when `domain` is one of the verified domains or a subdomain of one (Entra treats a
 * subdomain of a verified domain as verified once it is added, which needs no DNS proof).
 */
export function isVerifiedDomain(domain: string, verified: ReadonlySet<string>): boolean {
  let candidate = domain.toLowerCase();
  for (;;) {
    if (verified.has(candidate)) return true;
    const dot = candidate.indexOf('.');
    if (dot < 0) return false;
    candidate = candidate.slice(dot + 1);
  }
}
