import { type DirectoryObject } from '@syncready/directory';
import { type Finding } from './finding';

/** What each rule set's live engine offers {@link createLiveReadinessCheck}. */
export interface LiveRuleSetEngine {
  has(objectGuid: string): boolean;
  /** Adds the object, or replaces the one held with its GUID. */
  upsert(object: DirectoryObject): void;
  /** Forgets the object; nothing happens when none is held with that GUID. */
  remove(objectGuid: string): void;
  /**
   * Every finding (unsorted), in the order a full run over the held objects in `order` (every
   * held GUID, ascending) produces them, so a stable sort gives the full run's result.
   */
  findings(order: readonly string[]): Finding[];
  readonly checked: number;
  readonly skipped: number;
}
