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

/** Parts of a {@link GuidVersionTable}, chosen by the hash's low bits. */
const TABLE_PARTS = 64;
/** A part grows by half once it is this full: linear probes stay short, and little is left empty. */
const MAX_FILL = 0.8;

/**
 * objectGUID → highest uSNChanged seen, in flat typed arrays: open-addressing hash tables of
 * the GUID's 16 bytes (four 32-bit words) and the USN, 24 bytes a slot. The table is cut into
 * parts that grow on their own by half: a single table growing by doubling held up to four
 * empty slots per object and, while it grew, its old and new arrays at once (9.4 MiB at
 * 100,000 objects, where this holds about 3 MiB). All of it stays outside the collector's
 * object graph.
 */
class GuidVersionTable {
  private readonly parts = Array.from({ length: TABLE_PARTS }, () => new TablePart());

  /**
   * Keeps `usn` for the GUID in `key` (four words) unless a higher or equal one is held, and
   * returns the one held before (undefined for a GUID not seen): one hash and one probe per
   * object read.
   */
  raise(key: Uint32Array, usn: number): number | undefined {
    const hash = murmur3Words(key[0] as number, key[1] as number, key[2] as number, key[3] as number);
    return (this.parts[hash % TABLE_PARTS] as TablePart).raise(key, Math.floor(hash / TABLE_PARTS), usn);
  }
}

/** The rest of the hash after the part was chosen: 2^32 / TABLE_PARTS values. */
const PART_HASHES = 2 ** 32 / TABLE_PARTS;

/** One part: linear probing from the slot the hash points at; a version of 0 marks an empty slot (USN + 1 is stored). */
class TablePart {
  private words = new Uint32Array(4 * 16);
  private versions = new Float64Array(16);
  private count = 0;

  raise(key: Uint32Array, hash: number, usn: number): number | undefined {
    let slot = this.find(key, hash, this.words, this.versions);
    const held = this.versions[slot] as number;
    if (held !== 0) {
      if (usn + 1 > held) this.versions[slot] = usn + 1;
      return held - 1;
    }
    if (this.count + 1 > this.versions.length * MAX_FILL) {
      this.grow();
      slot = this.find(key, hash, this.words, this.versions);
    }
    this.words.set(key, 4 * slot);
    this.count += 1;
    this.versions[slot] = usn + 1;
    return undefined;
  }

  /** The slot holding `key`, or the empty slot where it belongs. */
  private find(key: Uint32Array, hash: number, words: Uint32Array, versions: Float64Array): number {
    const capacity = versions.length;
    const k0 = key[0] as number;
    const k1 = key[1] as number;
    const k2 = key[2] as number;
    const k3 = key[3] as number;
    let slot = Math.floor((hash / PART_HASHES) * capacity);
    for (; versions[slot] !== 0; slot = slot + 1 === capacity ? 0 : slot + 1) {
      const at = 4 * slot;
      if (words[at] === k0 && words[at + 1] === k1 && words[at + 2] === k2 && words[at + 3] === k3) return slot;
    }
    return slot;
  }

  private grow(): void {
    const { words, versions } = this;
    const capacity = Math.ceil(versions.length * 1.5);
    this.words = new Uint32Array(4 * capacity);
    this.versions = new Float64Array(capacity);
    const key = new Uint32Array(4);
    for (let slot = 0; slot < versions.length; slot++) {
      if (versions[slot] === 0) continue;
      key.set(words.subarray(4 * slot, 4 * slot + 4));
      const hash = Math.floor(murmur3Words(key[0] as number, key[1] as number, key[2] as number, key[3] as number) / TABLE_PARTS);
      const to = this.find(key, hash, this.words, this.versions);
      this.words.set(key, 4 * to);
      this.versions[to] = versions[slot] as number;
    }
  }
}

const HEX_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The 32 hex digits of a canonical lower-case GUID as four 32-bit words, into `out` (read in place: no substrings). */
function guidWords(guid: string, out: Uint32Array): void {
  if (!HEX_GUID.test(guid)) throw new RangeError(`${JSON.stringify(guid)} is not a GUID`);
  let word = 0;
  let digits = 0;
  for (let i = 0; i < guid.length; i++) {
    const code = guid.charCodeAt(i);
    if (code === 0x2d) continue; // '-'
    word = word * 16 + (code <= 0x39 ? code - 0x30 : code - 0x57);
    if (++digits % 8 === 0) {
      out[digits / 8 - 1] = word;
      word = 0;
    }
  }
}

/**
 * The digest and count of a snapshot in which an object may be read more than once (parallel
 * range reads plus a tail pass see an object again when it changes during the read). It keeps,
 * per objectGUID, only the version with the highest uSNChanged: the same rule the control
 * plane's store applies, so the agent's count and digest describe exactly the rows the control
 * plane ends with. Memory: 30 to 45 bytes per object, outside the collector's object graph.
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
    const seen = this.latest.raise(this.key, usnChanged);
    if (seen === undefined) {
      this.digest.add(guid, usnChanged);
      return 'added';
    }
    if (usnChanged <= seen) return 'stale';
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
