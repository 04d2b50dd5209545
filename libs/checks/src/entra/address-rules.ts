import { type FindingBody } from '../object-facts';
import { type DomainPolicy, describeNonRoutable } from './domain-policy';
import { entraBody, hasNonAscii, orNull, toAscii } from './entra-finding';

/** A proxy or target address split at its type delimiter. */
export interface TypedAddress {
  /** `smtp`, `x400`, `x500`, `sip`, … lower-case; empty when there is no `type:` prefix. */
  readonly type: string;
  readonly prefix: string;
  readonly address: string;
}

/** Splits `TYPE:address` at the first colon (the address may contain more colons). */
export function splitTyped(value: string): TypedAddress {
  const colon = value.indexOf(':');
  if (colon <= 0) return { type: '', prefix: '', address: value };
  const prefix = value.slice(0, colon);
  return { type: prefix.toLowerCase().replace('.', ''), prefix, address: value.slice(colon + 1) };
}

const DOT_ATOM = "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*";
const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
/** An Internet mail address: dot-atom local part, `@`, two or more DNS labels. */
const EMAIL = new RegExp(`^${DOT_ATOM}@${LABEL}(?:\\.${LABEL})+$`, 'i');

/** Per-attribute invalid characters in the address part (after any type prefix). */
const SMTP_PROXY_INVALID = /[\s<>();,[\]":]/g;
const OTHER_PROXY_INVALID = /[\s<>(),[\]"]/g;
const SMTP_TARGET_INVALID = /[\s\\<>();,[\]":]/g;
const OTHER_TARGET_INVALID = /[\s\\<>(),[\]"]/g;

/** Which attribute a value came from, and its rule-id stem. */
interface AddressAttribute {
  readonly attribute: 'proxyAddresses' | 'targetAddress' | 'mail';
  readonly stem: string;
}

const PROXY: AddressAttribute = { attribute: 'proxyAddresses', stem: 'entra.proxy' };
const TARGET: AddressAttribute = { attribute: 'targetAddress', stem: 'entra.target-address' };
const MAIL: AddressAttribute = { attribute: 'mail', stem: 'entra.mail' };

function addressChecks(kind: AddressAttribute, value: string, typed: TypedAddress, invalid: RegExp | undefined, smtp: boolean, domains: DomainPolicy, findings: FindingBody[]): void {
  const base = { attribute: kind.attribute, value };
  const rebuild = (address: string): string => (typed.prefix ? `${typed.prefix}:${address}` : address);
  if (value.length > 256) {
    findings.push(entraBody({ ...base, ruleId: `${kind.stem}.length`, severity: 'error', errors: ['length'], message: `${kind.attribute} value has ${value.length} characters; Entra allows 256. Shorten or remove it.` }));
  }
  let address = typed.address;
  if (invalid) {
    invalid.lastIndex = 0;
    const stripped = address.replace(invalid, '');
    if (stripped !== address) {
      findings.push(entraBody({ ...base, ruleId: `${kind.stem}.character`, severity: 'error', errors: ['character'], suggestedValue: orNull(stripped) && rebuild(stripped), message: `${kind.attribute} has spaces or characters Entra rejects after the type prefix (< > ( ) ; , [ ] "${smtp ? ' :' : ''}${kind === TARGET ? ' \\' : ''}); remove them.` }));
      address = stripped;
    }
  }
  if (!smtp) return;
  if (hasNonAscii(address)) {
    const ascii = toAscii(address);
    findings.push(entraBody({ ...base, ruleId: `${kind.stem}.non-ascii`, severity: 'error', errors: ['character'], suggestedValue: orNull(ascii) && rebuild(ascii), message: `${kind.attribute} has diacritics or other non-ASCII characters, which SMTP addresses can't hold; replace them.` }));
    address = ascii;
  }
  if (!EMAIL.test(address)) {
    findings.push(entraBody({ ...base, ruleId: `${kind.stem}.format`, severity: 'error', errors: ['format'], message: `${kind.attribute} is not a valid email address (name@domain.tld); correct or remove it.` }));
    return;
  }
  if (kind === TARGET) return; // a targetAddress points at another system's mailbox; its domain need not be ours
  const domain = address.slice(address.lastIndexOf('@') + 1);
  const reason = domains.nonRoutable(domain);
  if (reason) {
    findings.push(entraBody({ ...base, ruleId: 'entra.address.non-routable-domain', severity: 'info', action: kind === PROXY ? 'remove' : 'edit', message: `${describeNonRoutable(domain, reason)}: Exchange Online drops this address. Remove it, or replace it with an address at a verified domain.` }));
  } else if (domains.isVerified(domain) === false) {
    findings.push(entraBody({ ...base, ruleId: 'entra.address.unverified-domain', severity: 'warning', message: `"${domain}" is not a verified domain of the tenant, so Exchange Online will not keep this address. Verify the domain or remove the address.` }));
  }
}

/** One proxyAddresses value: prefix required; SMTP rules for smtp:, none beyond length for X.400/X.500. */
export function checkProxyAddress(value: string, domains: DomainPolicy): FindingBody[] {
  const findings: FindingBody[] = [];
  const typed = splitTyped(value);
  if (typed.type === '') {
    findings.push(entraBody({ attribute: PROXY.attribute, value, ruleId: 'entra.proxy.format', severity: 'error', errors: ['format'], suggestedValue: EMAIL.test(value) ? `smtp:${value}` : null, message: 'proxyAddresses value has no type prefix (such as smtp:); add one or remove the value.' }));
    return findings;
  }
  const x400x500 = typed.type === 'x400' || typed.type === 'x500';
  const smtp = typed.type === 'smtp';
  addressChecks(PROXY, value, typed, x400x500 ? undefined : smtp ? SMTP_PROXY_INVALID : OTHER_PROXY_INVALID, smtp, domains, findings);
  return findings;
}

/** targetAddress: SMTP rules when smtp:, the same characters (minus `;`) otherwise. */
export function checkTargetAddress(value: string, domains: DomainPolicy): FindingBody[] {
  const findings: FindingBody[] = [];
  const typed = splitTyped(value);
  const smtp = typed.type === 'smtp';
  addressChecks(TARGET, value, typed, smtp ? SMTP_TARGET_INVALID : OTHER_TARGET_INVALID, smtp, domains, findings);
  return findings;
}

/** mail: length, characters, a valid address, and a domain the tenant can hold. */
export function checkMail(value: string, domains: DomainPolicy): FindingBody[] {
  const findings: FindingBody[] = [];
  addressChecks(MAIL, value, { type: 'smtp', prefix: '', address: value }, SMTP_PROXY_INVALID, true, domains, findings);
  return findings;
}
