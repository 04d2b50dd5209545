import { type DuplicateHolder } from '../finding';
import { type FindingSubject } from '../object-facts';

/** One value held by one object, as reported in a duplicate finding. */
export interface IndexedHolder {
  readonly owner: FindingSubject;
  readonly attribute: string;
  readonly value: string;
}

/** How many other holders a duplicate finding lists, so k holders of one value cost O(k), not O(k²). */
export const MAX_LISTED_HOLDERS = 25;

/**
 * A hash index of normalized values → holders, for uniqueness rules. Holders of one key are a
 * linked list in parallel arrays (no per-holder objects), and a key is marked as colliding the
 * moment a second object adds it, so `collisions()` touches duplicates only. The same object
 * holding one value in several attributes is not a collision.
 */
export class UniquenessIndex {
  private readonly heads = new Map<string, number>();
  private readonly next: number[] = [];
  private readonly owners: number[] = [];
  private readonly attributes: string[] = [];
  private readonly values: string[] = [];
  private readonly colliding = new Set<string>();

  constructor(private readonly subjects: readonly FindingSubject[]) {}

  /** Indexes `value` (already normalized as `key`) for the subject at `owner`. */
  add(key: string, owner: number, attribute: string, value: string): void {
    const head = this.heads.get(key);
    const slot = this.owners.length;
    this.owners.push(owner);
    this.attributes.push(attribute);
    this.values.push(value);
    this.next.push(head ?? -1);
    this.heads.set(key, slot);
    if (head !== undefined && !this.colliding.has(key)) {
      for (let s = head; s !== -1; s = this.next[s] ?? -1) {
        if (this.owners[s] !== owner) {
          this.colliding.add(key);
          break;
        }
      }
    }
  }

  /** Each colliding key's holders, in the order they were added. */
  *collisions(): Iterable<readonly IndexedHolder[]> {
    for (const key of this.colliding) {
      const holders: IndexedHolder[] = [];
      for (let s = this.heads.get(key) ?? -1; s !== -1; s = this.next[s] ?? -1) {
        const owner = this.subjects[this.owners[s] ?? -1];
        if (owner) holders.push({ owner, attribute: this.attributes[s] ?? '', value: this.values[s] ?? '' });
      }
      yield holders.reverse();
    }
  }
}

/**
 * The other objects' holders of a value, capped at {@link MAX_LISTED_HOLDERS}; `ownCount` is
 * how many of `all` belong to the holder's own object.
 */
export function otherHolders(holder: IndexedHolder, all: readonly IndexedHolder[], ownCount: number): { listed: DuplicateHolder[]; total: number } {
  const listed: DuplicateHolder[] = [];
  for (const other of all) {
    if (listed.length === MAX_LISTED_HOLDERS) break;
    if (other.owner === holder.owner) continue;
    listed.push({ dn: other.owner.dn, objectGuid: other.owner.objectGuid, objectClass: other.owner.objectClass, attribute: other.attribute, value: other.value });
  }
  return { listed, total: all.length - ownCount };
}
