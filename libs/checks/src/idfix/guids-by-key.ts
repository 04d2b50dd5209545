/**
 * Which objects test (or look up) each duplicate key, by objectGuid, in ascending order: the
 * first entry is the holder IdFix reports as "first" when objects are checked in GUID order.
 */
export class GuidsByKey {
  private readonly byKey = new Map<string, string[]>();

  /** Adds the GUID to the key (kept sorted, once). */
  add(key: string, guid: string): void {
    const guids = this.byKey.get(key);
    if (!guids) {
      this.byKey.set(key, [guid]);
      return;
    }
    let low = 0;
    let high = guids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((guids[mid] as string) < guid) low = mid + 1;
      else high = mid;
    }
    if (guids[low] !== guid) guids.splice(low, 0, guid);
  }

  remove(key: string, guid: string): void {
    const guids = this.byKey.get(key);
    if (!guids) return;
    const at = guids.indexOf(guid);
    if (at < 0) return;
    if (guids.length === 1) this.byKey.delete(key);
    else guids.splice(at, 1);
  }

  /** The lowest GUID of the key, if any. */
  first(key: string): string | undefined {
    return this.byKey.get(key)?.[0];
  }

  guids(key: string): readonly string[] {
    return this.byKey.get(key) ?? [];
  }
}
