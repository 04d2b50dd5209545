import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type Finding, type TenantFacts } from '../finding';
import { type FindingBody, type FindingSubject, allValues, findingOf, firstValue, hasAttribute, subjectOf } from '../object-facts';
import { checkMail, checkProxyAddress, checkTargetAddress, splitTyped } from './address-rules';
import { DomainPolicy } from './domain-policy';
import { entraScopeOf } from './entra-scope';
import { forestFindings } from './forest-rules';
import { checkDisplayName, checkGivenName, checkMailNickname, checkSamAccountName } from './name-rules';
import { type IndexedHolder, UniquenessIndex, otherHolders } from './uniqueness-index';
import { checkUpn } from './upn-rules';

/** A uniqueness rule: its index and how its findings read. */
interface UniquenessRule {
  readonly index: UniquenessIndex;
  readonly ruleId: string;
  readonly explain: string;
}

/**
 * Microsoft's documented rules over the objects Connect really synchronizes. Per-object rules
 * run in `add`; uniqueness is decided in `findings()` from hash indexes, so the result does not
 * depend on the order objects arrive in.
 */
export class EntraEngine {
  private readonly domains: DomainPolicy;
  private readonly subjects: FindingSubject[] = [];
  private readonly perObject: Finding[] = [];
  private readonly addresses = new UniquenessIndex(this.subjects);
  private readonly samAccountNames = new UniquenessIndex(this.subjects);
  private readonly mailNicknames = new UniquenessIndex(this.subjects);
  private readonly upnSuffixUse = new Map<string, number>();
  private consistencyGuidPopulated = 0;
  private objectsRead = 0;
  checked = 0;
  skipped = 0;

  constructor(
    private readonly forest: ForestInfo | undefined,
    tenant: TenantFacts | undefined,
  ) {
    this.domains = new DomainPolicy(forest, tenant);
  }

  add(object: DirectoryObject): void {
    this.objectsRead += 1;
    if (hasAttribute(object, 'mS-DS-ConsistencyGuid')) this.consistencyGuidPopulated += 1;
    const scope = entraScopeOf(object);
    if (!scope.synced) {
      this.skipped += 1;
      return;
    }
    this.checked += 1;
    // Synced devices count toward the object total; the attribute rules are for users, contacts and groups.
    if (object.kind === 'computer') return;
    const subject = subjectOf(object);
    const owner = this.subjects.push(subject) - 1;
    const bodies: FindingBody[] = [];

    let upnValid = false;
    if (object.kind === 'user') {
      const upn = firstValue(object, 'userPrincipalName');
      if (upn !== undefined) {
        const check = checkUpn(upn, this.domains);
        bodies.push(...check.findings);
        upnValid = check.valid;
        if (check.suffix !== undefined) this.upnSuffixUse.set(check.suffix, (this.upnSuffixUse.get(check.suffix) ?? 0) + 1);
        this.addresses.add(upn.toLowerCase(), owner, 'userPrincipalName', upn);
      }
      const sam = firstValue(object, 'sAMAccountName');
      if (sam !== undefined) {
        bodies.push(...checkSamAccountName(sam, upnValid));
        this.samAccountNames.add(sam.toLowerCase(), owner, 'sAMAccountName', sam);
      }
    }
    const displayName = firstValue(object, 'displayName');
    if (displayName !== undefined) bodies.push(...checkDisplayName(displayName, subject.commonName));
    const givenName = firstValue(object, 'givenName');
    if (givenName !== undefined && object.kind !== 'group') bodies.push(...checkGivenName(givenName));

    if (scope.mailAttributes) this.checkMailAttributes(object, owner, bodies);
    for (const body of bodies) this.perObject.push(findingOf(subject, body));
  }

  private checkMailAttributes(object: DirectoryObject, owner: number, bodies: FindingBody[]): void {
    const mail = firstValue(object, 'mail');
    if (mail !== undefined) {
      bodies.push(...checkMail(mail, this.domains));
      this.addresses.add(mail.toLowerCase(), owner, 'mail', mail);
    }
    const nickname = firstValue(object, 'mailNickname');
    if (nickname !== undefined) {
      bodies.push(...checkMailNickname(nickname));
      this.mailNicknames.add(nickname.toLowerCase(), owner, 'mailNickname', nickname);
    }
    for (const proxy of allValues(object, 'proxyAddresses')) {
      bodies.push(...checkProxyAddress(proxy, this.domains));
      const typed = splitTyped(proxy);
      if (typed.type === 'smtp') this.addresses.add(typed.address.toLowerCase(), owner, 'proxyAddresses', proxy);
    }
    const target = firstValue(object, 'targetAddress');
    if (target !== undefined) {
      bodies.push(...checkTargetAddress(target, this.domains));
      const typed = splitTyped(target);
      if (typed.type === 'smtp') this.addresses.add(typed.address.toLowerCase(), owner, 'targetAddress', target);
    }
  }

  /** Per-object findings, then duplicates and forest-level findings (unsorted). */
  findings(): Finding[] {
    const findings = [...this.perObject];
    const rules: UniquenessRule[] = [
      { index: this.addresses, ruleId: 'entra.address.duplicate', explain: 'UPNs and SMTP addresses must be unique across all users, groups and contacts of the tenant' },
      { index: this.samAccountNames, ruleId: 'entra.sam.duplicate', explain: 'sAMAccountName must be unique among users' },
      { index: this.mailNicknames, ruleId: 'entra.mail-nickname.duplicate', explain: 'mailNickname must be unique' },
    ];
    for (const rule of rules) {
      for (const holders of rule.index.collisions()) findings.push(...duplicateFindings(rule, holders));
    }
    const tally = { syncedObjects: this.checked, objectsRead: this.objectsRead, consistencyGuidPopulated: this.consistencyGuidPopulated, upnSuffixUse: this.upnSuffixUse };
    findings.push(...forestFindings(this.forest, this.domains.registeredSuffixes, tally));
    return findings;
  }
}

const holderKey = (h: IndexedHolder): string => `${h.owner.dn.toLowerCase()}\u0000${h.attribute}\u0000${h.value}`;

function duplicateFindings(rule: UniquenessRule, unordered: readonly IndexedHolder[]): Finding[] {
  // Holders are listed in DN order, so the result does not depend on the order objects arrived in.
  const holders = [...unordered].sort((a, b) => (holderKey(a) < holderKey(b) ? -1 : holderKey(a) > holderKey(b) ? 1 : 0));
  const perOwner = new Map<FindingSubject, number>();
  for (const h of holders) perOwner.set(h.owner, (perOwner.get(h.owner) ?? 0) + 1);
  return holders.map((holder) => {
    const { listed, total } = otherHolders(holder, holders, perOwner.get(holder.owner) ?? 0);
    const first = listed[0];
    const firstText = first ? `${first.dn} (${first.attribute})` : '';
    const more = total > 1 ? ` and ${total - 1} more` : '';
    return findingOf(holder.owner, {
      ruleId: rule.ruleId,
      severity: 'error',
      attribute: holder.attribute,
      value: holder.value,
      errors: ['duplicate'],
      suggestedValue: null,
      action: 'edit',
      duplicates: listed,
      message: `"${holder.value}" is also held by ${firstText}${more}; ${rule.explain}. Change or remove all but one.`,
    });
  });
}
