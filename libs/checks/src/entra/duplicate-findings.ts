import { type Finding } from '../finding';
import { type FindingSubject, findingOf } from '../object-facts';
import { type UniquenessKind } from './entra-object-check';
import { type IndexedHolder, otherHolders } from './uniqueness-index';

/** How the findings of one uniqueness rule read. */
interface UniquenessRule {
  readonly ruleId: string;
  readonly explain: string;
}

/** The uniqueness rules, in the order a run reports them. */
export const UNIQUENESS_RULES: Readonly<Record<UniquenessKind, UniquenessRule>> = {
  address: { ruleId: 'entra.address.duplicate', explain: 'UPNs and SMTP addresses must be unique across all users, groups and contacts of the tenant' },
  sam: { ruleId: 'entra.sam.duplicate', explain: 'sAMAccountName must be unique among users' },
  nickname: { ruleId: 'entra.mail-nickname.duplicate', explain: 'mailNickname must be unique' },
};

const holderKey = (h: IndexedHolder): string => `${h.owner.dn.toLowerCase()}\u0000${h.attribute}\u0000${h.value}`;

/**
 * One finding per holder of a colliding value. `unordered` comes in the order the values were
 * added; holders are listed in DN order (a stable sort, so only holders equal in DN, attribute
 * and value keep the order they were added in).
 */
export function duplicateFindings(kind: UniquenessKind, unordered: readonly IndexedHolder[]): Finding[] {
  const rule = UNIQUENESS_RULES[kind];
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
