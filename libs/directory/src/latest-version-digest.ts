import { ObjectSetDigest } from './object-set-digest';

/** What {@link LatestVersionDigest.offer} decided about one object version. */
export type VersionOffer = 'added' | 'replaced' | 'stale';

/**
 * The digest and count of a snapshot in which an object may be read more than once (parallel
 * range reads plus a tail pass see an object again when it changes during the read). It keeps,
 * per objectGUID, only the version with the highest uSNChanged: the same rule the control
 * plane's store applies, so the agent's count and digest describe exactly the rows the control
 * plane ends with. Memory: one map entry per object (GUID string and a number).
 */
export class LatestVersionDigest {
  private readonly digest = new ObjectSetDigest();
  private readonly latest = new Map<string, number>();

  /**
   * Records a version read from the directory. `stale` means an equal or newer version was
   * offered before: the caller drops this one (sending it would change nothing in the store).
   */
  offer(objectGuid: string, usnChanged: number): VersionOffer {
    const key = objectGuid.toLowerCase();
    const seen = this.latest.get(key);
    if (seen === undefined) {
      this.latest.set(key, usnChanged);
      this.digest.add(key, usnChanged);
      return 'added';
    }
    if (usnChanged <= seen) return 'stale';
    this.latest.set(key, usnChanged);
    this.digest.replace(key, seen, usnChanged);
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
