import { ObjectSetDigest } from './object-set-digest';

/** What {@link LatestVersionDigest.offer} decided about one object version. */
export type VersionOffer = 'added' | 'replaced' | 'stale';

/** One 32-bit block of MurmurHash3 (x86_32) folded into `h`. */
function murmur3Block(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * MurmurHash3 (x86_32) of four words: every bit of every word reaches every bit of the
 * result, so GUIDs that differ anywhere spread over the table (random AD GUIDs would do with
 * less; patterned ones, as tools and tests make, would not).
 */
function murmur3Words(k0: number, k1: number, k2: number, k3: number): number {
  let h = murmur3Block(murmur3Block(murmur3Block(murmur3Block(0, k0), k1), k2), k3) ^ 16;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * objectGUID → highest uSNChanged seen, in flat typed arrays: an open-addressing hash table of
 * the GUID's 16 bytes (four 32-bit words) and the USN. About 40 bytes per object at the
 * table's fill, where a Map of GUID strings took well over twice that as objects the garbage
 * collector had to trace on every full collection of a big snapshot.
 */
class GuidVersionTable {
  private words = new Uint32Array(4 * 1024);
  private usns = new Float64Array(1024);
  private used = new Uint8Array(1024);
  private count = 0;

  /** The USN held for the GUID in `key` (four words), or undefined. */
  get(key: Uint32Array): number | undefined {
    const slot = this.find(key, this.words, this.used);
    return this.used[slot] ? this.usns[slot] : undefined;
  }

  set(key: Uint32Array, usn: number): void {
    let slot = this.find(key, this.words, this.used);
    if (!this.used[slot]) {
      // At most half full: probes stay short.
      if (2 * (this.count + 1) > this.used.length) {
        this.grow();
        slot = this.find(key, this.words, this.used);
      }
      this.used[slot] = 1;
      this.words.set(key, 4 * slot);
      this.count += 1;
    }
    this.usns[slot] = usn;
  }

  /** The slot holding `key`, or the empty slot where it belongs (linear probing). */
  private find(key: Uint32Array, words: Uint32Array, used: Uint8Array): number {
    const mask = used.length - 1;
    const k0 = key[0] as number;
    const k1 = key[1] as number;
    const k2 = key[2] as number;
    const k3 = key[3] as number;
    let slot = murmur3Words(k0, k1, k2, k3) & mask;
    for (; used[slot]; slot = (slot + 1) & mask) {
      const at = 4 * slot;
      if (words[at] === k0 && words[at + 1] === k1 && words[at + 2] === k2 && words[at + 3] === k3) return slot;
    }
    return slot;
  }

  private grow(): void {
    const { words, usns, used } = this;
    const capacity = used.length * 2;
    this.words = new Uint32Array(4 * capacity);
    this.usns = new Float64Array(capacity);
    this.used = new Uint8Array(capacity);
    const key = new Uint32Array(4);
    for (let slot = 0; slot < used.length; slot++) {
      if (!used[slot]) continue;
      key.set(words.subarray(4 * slot, 4 * slot + 4));
      const to = this.find(key, this.words, this.used);
      this.used[to] = 1;
      this.words.set(key, 4 * to);
      this.usns[to] = usns[slot] as number;
    }
  }
}

const HEX_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The 32 hex digits of a canonical lower-case GUID as four 32-bit words, into `out`. */
function guidWords(guid: string, out: Uint32Array): void {
  if (!HEX_GUID.test(guid)) throw new RangeError(`${JSON.stringify(guid)} is not a GUID`);
  const hex = guid.slice(0, 8) + guid.slice(9, 13) + guid.slice(14, 18) + guid.slice(19, 23) + guid.slice(24);
  for (let i = 0; i < 4; i++) out[i] = parseInt(hex.slice(8 * i, 8 * i + 8), 16);
}

/**
 * The digest and count of a snapshot in which an object may be read more than once (parallel
 * range reads plus a tail pass see an object again when it changes during the read). It keeps,
 * per objectGUID, only the version with the highest uSNChanged: the same rule the control
 * plane's store applies, so the agent's count and digest describe exactly the rows the control
 * plane ends with. Memory: about 40 bytes per object, outside the collector's object graph.
 */
export class LatestVersionDigest {
  private readonly digest = new ObjectSetDigest();
  private readonly latest = new GuidVersionTable();
  private readonly key = new Uint32Array(4);

  /**
   * Records a version read from the directory. `stale` means an equal or newer version was
   * offered before: the caller drops this one (sending it would change nothing in the store).
   * Throws a RangeError for a string that is not a GUID.
   */
  offer(objectGuid: string, usnChanged: number): VersionOffer {
    const guid = objectGuid.toLowerCase();
    guidWords(guid, this.key);
    const seen = this.latest.get(this.key);
    if (seen === undefined) {
      this.latest.set(this.key, usnChanged);
      this.digest.add(guid, usnChanged);
      return 'added';
    }
    if (usnChanged <= seen) return 'stale';
    this.latest.set(this.key, usnChanged);
    this.digest.replace(guid, seen, usnChanged);
    return 'replaced';
  }

  /** Number of distinct objects. */
  get size(): number {
    return this.digest.size;
  }

  /** The {@link ObjectSetDigest} of the latest versions: 16 lower-case hex digits. */
  toString(): string {
    return this.digest.toString();
  }
}
