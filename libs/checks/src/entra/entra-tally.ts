import { type EntraObjectCheck } from './entra-object-check';
import { type ForestTally } from './forest-rules';

/**
 * What the forest-level findings count, kept object by object: up as objects are added, and
 * down again when a live check replaces or removes one.
 */
export class EntraTally implements ForestTally {
  syncedObjects = 0;
  objectsRead = 0;
  consistencyGuidPopulated = 0;
  /** Objects out of Connect's sync scope. */
  skipped = 0;
  readonly upnSuffixUse = new Map<string, number>();

  /** Counts an object in (`sign` 1) or takes it back out (-1). */
  count(check: EntraObjectCheck, sign: 1 | -1): void {
    this.objectsRead += sign;
    if (check.consistencyGuid) this.consistencyGuidPopulated += sign;
    if (!check.synced) {
      this.skipped += sign;
      return;
    }
    this.syncedObjects += sign;
    if (check.upnSuffix === undefined) return;
    const users = (this.upnSuffixUse.get(check.upnSuffix) ?? 0) + sign;
    // A suffix nobody uses any more is not reported, as in a run that never saw it.
    if (users === 0) this.upnSuffixUse.delete(check.upnSuffix);
    else this.upnSuffixUse.set(check.upnSuffix, users);
  }
}
