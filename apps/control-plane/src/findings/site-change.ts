import { type DirectoryObject } from '@syncready/directory';

/** What one committed delta changed in a site's current generation. */
export interface SiteChange {
  /** The generation the delta was applied to. */
  readonly generation: number;
  /** Objects the agent sent, in their full current state (the store keeps the newest version). */
  readonly upserts: readonly DirectoryObject[];
  /** objectGUIDs the agent reported deleted. */
  readonly deletions: readonly string[];
}
