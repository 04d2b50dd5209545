import { type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type Finding, type TenantFacts } from '../finding';
import { type LiveRuleSetEngine } from '../live-rule-set-engine';
import { UNIQUENESS_RULES, duplicateFindings } from './duplicate-findings';
import { DomainPolicy } from './domain-policy';
import { type EntraObjectCheck, type UniquenessKind, checkEntraObject } from './entra-object-check';
import { EntraTally } from './entra-tally';
import { forestFindings } from './forest-rules';
import { LiveUniquenessIndex } from './live-uniqueness-index';

const KINDS = Object.keys(UNIQUENESS_RULES) as UniquenessKind[];

function perKind<T>(make: () => T): Record<UniquenessKind, T> {
  return { address: make(), sam: make(), nickname: make() };
}

/**
 * The `entra` rule set, kept up to date object by object. An object's per-object findings and
 * index values depend on that object alone ({@link checkEntraObject}), so a change re-runs
 * the rules on the changed object only; its old values leave the uniqueness indexes, its new
 * ones enter, and duplicate findings are recomputed for the keys touched, lazily, when
 * findings are asked for. Forest-level findings come from tallies kept up and down.
 */
export class LiveEntraEngine implements LiveRuleSetEngine {
  private readonly domains: DomainPolicy;
  private readonly objects = new Map<string, EntraObjectCheck>();
  private readonly indexes = perKind(() => new LiveUniquenessIndex());
  /** Duplicate findings of each colliding key. */
  private readonly duplicates = perKind(() => new Map<string, readonly Finding[]>());
  /** Keys whose holders changed since their duplicate findings were computed. */
  private readonly touched = perKind(() => new Set<string>());
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

  has(objectGuid: string): boolean {
    return this.objects.has(objectGuid);
  }

  upsert(object: DirectoryObject): void {
    this.remove(object.objectGuid);
    const check = checkEntraObject(object, this.domains);
    this.objects.set(object.objectGuid, check);
    this.tally.count(check, 1);
    const owner = check.subject;
    if (owner === undefined) return;
    check.values.forEach((v, ordinal) => {
      this.indexes[v.kind].add(v.key, { owner, attribute: v.attribute, value: v.value, objectGuid: object.objectGuid, ordinal });
      this.touched[v.kind].add(v.key);
    });
  }

  remove(objectGuid: string): void {
    const check = this.objects.get(objectGuid);
    if (check === undefined) return;
    this.objects.delete(objectGuid);
    this.tally.count(check, -1);
    for (const v of check.values) {
      this.indexes[v.kind].remove(v.key, objectGuid);
      this.touched[v.kind].add(v.key);
    }
  }

  findings(order: readonly string[]): Finding[] {
    const findings: Finding[] = [];
    for (const guid of order) {
      for (const finding of this.objects.get(guid)?.findings ?? []) findings.push(finding);
    }
    for (const kind of KINDS) {
      this.refreshDuplicates(kind);
      for (const list of this.duplicates[kind].values()) for (const finding of list) findings.push(finding);
    }
    for (const finding of forestFindings(this.forest, this.domains.registeredSuffixes, this.tally)) findings.push(finding);
    return findings;
  }

  private refreshDuplicates(kind: UniquenessKind): void {
    for (const key of this.touched[kind]) {
      const holders = this.indexes[kind].collision(key);
      if (holders) this.duplicates[kind].set(key, duplicateFindings(kind, holders));
      else this.duplicates[kind].delete(key);
    }
    this.touched[kind].clear();
  }
}
