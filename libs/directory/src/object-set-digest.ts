/**
 * An order-independent digest of a set of (objectGUID, uSNChanged) pairs. The agent computes
 * it while it reads (in whatever order parallel reads deliver objects) and the control plane
 * recomputes it from the rows it committed; equal digests and counts mean nothing was lost,
 * duplicated or left stale. Each pair is hashed with 64-bit FNV-1a (two 32-bit lanes, no
 * BigInt on the hot path) and the hashes are summed modulo 2^64, so order does not matter
 * but a missing or doubled object does.
 */
export class ObjectSetDigest {
  private hi = 0;
  private lo = 0;
  private count = 0;

  /** Adds one object's identity and version. */
  add(objectGuid: string, usnChanged: number): void {
    const [h, l] = fnv1a64(`${objectGuid.toLowerCase()}:${usnChanged}`);
    const lo = this.lo + l;
    this.lo = lo >>> 0;
    this.hi = (this.hi + h + (lo > 0xffffffff ? 1 : 0)) >>> 0;
    this.count++;
  }

  /** Takes back a pair added before (the sum is a group, so removal is exact subtraction). */
  remove(objectGuid: string, usnChanged: number): void {
    const [h, l] = fnv1a64(`${objectGuid.toLowerCase()}:${usnChanged}`);
    const lo = this.lo - l;
    this.lo = lo >>> 0;
    this.hi = (this.hi - h - (lo < 0 ? 1 : 0)) >>> 0;
    this.count--;
  }

  /** Swaps an object's version for a newer one read later; the count stays the same. */
  replace(objectGuid: string, oldUsnChanged: number, newUsnChanged: number): void {
    this.remove(objectGuid, oldUsnChanged);
    this.add(objectGuid, newUsnChanged);
  }

  /** Number of objects added. */
  get size(): number {
    return this.count;
  }

  /** 16 lower-case hex digits. */
  toString(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

// FNV-1a 64-bit over UTF-16 code units, with the 64-bit multiply by the FNV prime
// (0x100000001b3) split into 16-bit limbs so every partial product stays exact in a double.
function fnv1a64(text: string): [number, number] {
  let h0 = 0x2325, h1 = 0x8422, h2 = 0x9ce4, h3 = 0xcbf2; // offset basis 0xcbf29ce484222325
  for (let i = 0; i < text.length; i++) {
    h0 ^= text.charCodeAt(i) & 0xffff;
    // prime = 0x0000_0100_0000_01b3: limbs p0 = 0x01b3, p2 = 0x0100
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3;
    const t2 = h2 * 0x1b3 + h0 * 0x100;
    const t3 = h3 * 0x1b3 + h1 * 0x100;
    h0 = t0 & 0xffff;
    const c1 = t1 + Math.floor(t0 / 0x10000);
    h1 = c1 & 0xffff;
    const c2 = t2 + Math.floor(c1 / 0x10000);
    h2 = c2 & 0xffff;
    h3 = (t3 + Math.floor(c2 / 0x10000)) & 0xffff;
  }
  return [((h3 << 16) | h2) >>> 0, ((h1 << 16) | h0) >>> 0];
}
