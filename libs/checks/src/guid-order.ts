/**
 * A set of objectGUIDs listed in ascending code-unit order, kept up to date by merging: after
 * k changes, listing costs O(n + k log k), not a sort of all n.
 */
export class GuidOrder {
  private sorted: string[] = [];
  private readonly added = new Set<string>();
  private readonly removed = new Set<string>();

  /** Call only for a GUID not in the set. */
  insert(guid: string): void {
    if (!this.removed.delete(guid)) this.added.add(guid);
  }

  /** Call only for a GUID in the set. */
  delete(guid: string): void {
    if (!this.added.delete(guid)) this.removed.add(guid);
  }

  /** Every GUID, ascending. */
  list(): readonly string[] {
    if (this.added.size === 0 && this.removed.size === 0) return this.sorted;
    const kept = this.removed.size === 0 ? this.sorted : this.sorted.filter((g) => !this.removed.has(g));
    const fresh = [...this.added].sort();
    const merged: string[] = new Array<string>(kept.length + fresh.length);
    let i = 0;
    let j = 0;
    for (let out = 0; out < merged.length; out += 1) {
      const a = kept[i];
      const b = fresh[j];
      if (b === undefined || (a !== undefined && a < b)) {
        merged[out] = a as string;
        i += 1;
      } else {
        merged[out] = b;
        j += 1;
      }
    }
    this.sorted = merged;
    this.added.clear();
    this.removed.clear();
    return merged;
  }
}
