import { type ForestInfo } from '@syncready/directory';
import { type NonRoutableReason, isVerifiedDomain, nonRoutableReason } from '../domain-names';
import { type TenantFacts } from '../finding';

/** What the domain rules know: verified domains (if any) and the suffix to move users to. */
export class DomainPolicy {
  readonly verified: ReadonlySet<string> | undefined;
  /** The one routable (and, when known, verified) suffix users could move to; undefined if none or several. */
  readonly soleTargetSuffix: string | undefined;
  /** Forest domains' DNS names and registered UPN suffixes, lower-case; undefined without forest facts. */
  readonly registeredSuffixes: ReadonlySet<string> | undefined;

  constructor(forest: ForestInfo | undefined, tenant: TenantFacts | undefined) {
    this.verified = tenant ? new Set(tenant.verifiedDomains.map((d) => d.toLowerCase())) : undefined;
    if (forest) {
      const domains = forest.partitions.filter((p) => p.netbiosName !== '' && p.dnsRoot !== '').map((p) => p.dnsRoot);
      this.registeredSuffixes = new Set([...domains, ...forest.upnSuffixes].map((d) => d.toLowerCase()));
    }
    const pool = this.registeredSuffixes ?? (this.verified ? new Set([...this.verified].filter((d) => !d.endsWith('.onmicrosoft.com'))) : new Set<string>());
    const candidates = [...pool].filter((d) => this.isRoutable(d) && this.isVerified(d) !== false);
    this.soleTargetSuffix = candidates.length === 1 ? candidates[0] : undefined;
  }

  /** Why a domain is not routable, or undefined. */
  nonRoutable(domain: string): NonRoutableReason | undefined {
    return nonRoutableReason(domain);
  }

  isRoutable(domain: string): boolean {
    return nonRoutableReason(domain) === undefined;
  }

  /** undefined when verified domains are unknown. */
  isVerified(domain: string): boolean | undefined {
    return this.verified ? isVerifiedDomain(domain, this.verified) : undefined;
  }
}

/** Human text for a non-routable reason. */
export function describeNonRoutable(domain: string, reason: NonRoutableReason): string {
  switch (reason) {
    case 'single-label':
      return `"${domain}" is a single-label domain`;
    case 'reserved-suffix':
      return `"${domain}" ends in a private suffix that is never routable`;
    case 'unknown-tld':
      return `"${domain}" does not end in a public top-level domain`;
  }
}
