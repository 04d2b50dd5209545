import { type CheckResult, type LiveReadinessCheck, type RuleSetName } from '@syncready/checks';
import { type DirectoryObject } from '@syncready/directory';
import { type SiteChange } from './site-change';

/**
 * A site's live readiness check, tied to the generation it mirrors. Deltas are applied under
 * the store's own rules (`store.sync.applyDelta`), so the objects held stay the objects stored:
 * a deletion wins over an upsert of the same GUID in one delta, several versions of one object
 * in a delta collapse to the highest uSNChanged (the later one on a tie), and a version
 * replaces the held one only when its uSNChanged is higher.
 */
export class LiveSiteCheck {
  private readonly versions = new Map<string, number>();

  constructor(
    readonly generation: number,
    readonly ruleSet: RuleSetName,
    private readonly check: LiveReadinessCheck,
  ) {}

  /** Objects held. */
  get size(): number {
    return this.check.size;
  }

  /** Adds an object of the generation as the store lists it (a full run). */
  add(object: DirectoryObject): void {
    this.check.upsert(object);
    this.versions.set(object.objectGuid, object.usnChanged);
  }

  /** Applies a committed delta of this generation. */
  apply(change: SiteChange): void {
    const deleted = new Set(change.deletions);
    const newest = new Map<string, DirectoryObject>();
    for (const object of change.upserts) {
      if (deleted.has(object.objectGuid)) continue;
      const previous = newest.get(object.objectGuid);
      if (previous === undefined || previous.usnChanged <= object.usnChanged) newest.set(object.objectGuid, object);
    }
    for (const object of newest.values()) {
      const held = this.versions.get(object.objectGuid);
      if (held === undefined || object.usnChanged > held) this.add(object);
    }
    for (const guid of deleted) {
      this.check.remove(guid);
      this.versions.delete(guid);
    }
  }

  result(): CheckResult {
    return this.check.result();
  }
}
