import { type IndexedHolder } from './uniqueness-index';

/** A holder of a value in a {@link LiveUniquenessIndex}: which object, and which of its values. */
export interface LiveHolder extends IndexedHolder {
  readonly objectGuid: string;
  /** Position of the value among the values the object adds, so an object's holders keep their order. */
  readonly ordinal: number;
}

function before(a: LiveHolder, b: LiveHolder): boolean {
  return a.objectGuid < b.objectGuid || (a.objectGuid === b.objectGuid && a.ordinal < b.ordinal);
}

/**
 * A uniqueness index that can forget an object: normalized value → holders, kept in
 * (objectGuid, ordinal) order, which is the order a full run over objects listed by GUID adds
 * them in. A changed object's old values are removed and its new ones added; only the keys
 * touched need their duplicate findings recomputed.
 */
export class LiveUniquenessIndex {
  private readonly byKey = new Map<string, LiveHolder[]>();

  add(key: string, holder: LiveHolder): void {
    const holders = this.byKey.get(key);
    if (!holders) {
      this.byKey.set(key, [holder]);
      return;
    }
    // Most keys have one holder; a binary search keeps big collisions cheap too.
    let low = 0;
    let high = holders.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (before(holders[mid] as LiveHolder, holder)) low = mid + 1;
      else high = mid;
    }
    holders.splice(low, 0, holder);
  }

  /** Removes every holder of `key` that belongs to the object. */
  remove(key: string, objectGuid: string): void {
    const holders = this.byKey.get(key);
    if (!holders) return;
    const kept = holders.filter((h) => h.objectGuid !== objectGuid);
    if (kept.length === 0) this.byKey.delete(key);
    else this.byKey.set(key, kept);
  }

  /** The holders of `key` in (objectGuid, ordinal) order when two or more objects hold it; else undefined. */
  collision(key: string): readonly LiveHolder[] | undefined {
    const holders = this.byKey.get(key);
    const first = holders?.[0];
    // The same object holding one value in several attributes is not a collision.
    return first && holders.some((h) => h.objectGuid !== first.objectGuid) ? holders : undefined;
  }
}
