import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type Finding, type TenantFacts } from '../finding';
import { type FindingSubject } from '../object-facts';
import { UNIQUENESS_RULES, duplicateFindings } from './duplicate-findings';
import { DomainPolicy } from './domain-policy';
import { type UniquenessKind, checkEntraObject } from './entra-object-check';
import { EntraTally } from './entra-tally';
import { forestFindings } from './forest-rules';
import { UniquenessIndex } from './uniqueness-index';

/**
 * Microsoft's documented rules over the objects Connect really synchronizes. Per-object rules
 * run in `add`; uniqueness is decided in `findings()` from hash indexes, so the result does not
 * depend on the order objects arrive in.
 */
export class EntraEngine {
  private readonly domains: DomainPolicy;
  private readonly subjects: FindingSubject[] = [];
  private readonly perObject: Finding[] = [];
  private readonly indexes: Readonly<Record<UniquenessKind, UniquenessIndex>> = {
    address: new UniquenessIndex(this.subjects),
    sam: new UniquenessIndex(this.subjects),
    nickname: new UniquenessIndex(this.subjects),
  };
  private readonly tally = new EntraTally();

  constructor(
    private readonly forest: ForestInfo | undefined,
    tenant: TenantFacts | undefined,
  ) {
    this.domains = new DomainPolicy(forest, tenant);
  }

  get checked(): number {
    return this.tally.syncedObjects;
  }

  get skipped(): number {
    return this.tally.skipped;
  }

  add(object: DirectoryObject): void {
    const check = checkEntraObject(object, this.domains);
    this.tally.count(check, 1);
    if (check.subject === undefined) return;
    const owner = this.subjects.push(check.subject) - 1;
    for (const v of check.values) this.indexes[v.kind].add(v.key, owner, v.attribute, v.value);
    for (const finding of check.findings) this.perObject.push(finding);
  }

  /** Per-object findings, then duplicates and forest-level findings (unsorted). */
  findings(): Finding[] {
    const findings = [...this.perObject];
    for (const kind of Object.keys(UNIQUENESS_RULES) as UniquenessKind[]) {
      for (const holders of this.indexes[kind].collisions()) findings.push(...duplicateFindings(kind, holders));
    }
    findings.push(...forestFindings(this.forest, this.domains.registeredSuffixes, this.tally));
    return findings;
  }
}
