import { isIdFixValidTld } from '../domain-names';
import { type IdFixErrorName } from '../finding';
import { DOMAIN_PART, LOCAL_PART, NOT_DOMAIN_CHARACTER, NOT_LOCAL_CHARACTER, RFC2822_ADDRESS, SMTP_MARKER } from './idfix-patterns';

/** What IdFix's RFC 2822 rule reports for one value. */
export interface Rfc2822Outcome {
  /** Error names in IdFix's flag order (format, topleveldomain, domainpart, localpart). */
  readonly errors: readonly IdFixErrorName[];
  /** IdFix's UPDATE: the value with the domain and local parts repaired. */
  readonly updated: string;
}

/**
 * IdFix's RFC 2822 address rule, step for step: the TLD test on the text from the last dot,
 * the domain-part test and repair, the local-part test (at most one `@`) and repair, then the
 * whole-address test on the repaired text. Returns undefined when the value passes.
 */
export function checkRfc2822(value: string): Rfc2822Outcome | undefined {
  const isSmtp = SMTP_MARKER.test(value);
  let address = isSmtp ? value.slice(value.indexOf(':') + 1) : value;
  let format = false;
  let topLevelDomain = false;
  let domainPart = false;
  let localPart = false;

  const lastDot = address.lastIndexOf('.');
  if (lastDot !== -1) {
    // The "TLD" is whatever follows the last dot, even when that dot is in the local part.
    const tld = address.toLowerCase().slice(lastDot);
    if (tld.length > 1 && !isIdFixValidTld(tld)) topLevelDomain = true;
  }

  if (!DOMAIN_PART.test(address)) {
    domainPart = true;
    const at = address.lastIndexOf('@');
    if (at !== -1) address = address.slice(0, at + 1) + address.slice(at + 1).replace(NOT_DOMAIN_CHARACTER, '');
  }

  if (!LOCAL_PART.test(address) || address.split('@').length - 1 > 1) {
    localPart = true;
    const at = address.lastIndexOf('@');
    if (at !== -1) {
      const local = address.slice(0, at).replace(NOT_LOCAL_CHARACTER, '');
      address = (local + address.slice(at)).replaceAll('.@', '@');
    }
  }

  if (!RFC2822_ADDRESS.test(address)) format = true;

  if (!format && !topLevelDomain && !domainPart && !localPart) return undefined;
  // .NET prints combined [Flags] in ascending value order: Format=1, TopLevelDomain=16, DomainPart=32, LocalPart=64.
  const errors: IdFixErrorName[] = [];
  if (format) errors.push('format');
  if (topLevelDomain) errors.push('topleveldomain');
  if (domainPart) errors.push('domainpart');
  if (localPart) errors.push('localpart');
  const updated = isSmtp ? value.slice(0, value.indexOf(':') + 1).trim() + address : address;
  return { errors, updated };
}
