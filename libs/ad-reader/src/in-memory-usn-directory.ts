import { type DirectoryObject } from '@syncready/directory';
import { guidSliceBounds } from './guid-slices';
import { type GuidSlice, type UsnRangeSource } from './partitioned-read';
import { type UsnRange } from './usn-ranges';

/** Called before each page is served (`range` undefined for a search of a parent's children); may modify the directory, or throw to fail the search. */
export type PageHook = (lane: number, range: UsnRange | undefined, pageIndex: number) => Promise<void> | void;

/** The parent of objects written without one. */
export const DEFAULT_PARENT = 'OU=Staff';

/**
 * An in-memory directory behind {@link UsnRangeSource} for unit tests: a USN counter like a
 * DC's, objects that move up when modified, and paged searches that evaluate the range (or
 * the parent) at every page (as a DC does), so an object modified or moved mid-read leaves it.
 */
export class InMemoryUsnDirectory implements UsnRangeSource {
  private usn = 0;
  private readonly objects = new Map<string, { usn: number; parent: string }>();
  /** Searches open now, and the most ever open on one lane at once. */
  openSearches = 0;
  readonly pagesServed: { lane: number; range?: UsnRange; parent?: string; slice?: GuidSlice }[] = [];

  constructor(
    private readonly pageSize: number,
    private readonly hook: PageHook = () => undefined,
  ) {}

  get highestCommittedUsn(): number {
    return this.usn;
  }

  /** Adds an object, or modifies or moves it (a new USN) when it exists; returns its GUID. */
  write(guid: string, parent?: string): string {
    this.objects.set(guid, { usn: ++this.usn, parent: parent ?? this.objects.get(guid)?.parent ?? DEFAULT_PARENT });
    return guid;
  }

  /** Writes that are not to objects read (other partitions, other OUs) still consume USNs. */
  skipUsns(count: number): void {
    this.usn += count;
  }

  /** The current (GUID → uSNChanged) of every object. */
  snapshot(): Map<string, number> {
    return new Map([...this.objects].map(([guid, { usn }]) => [guid, usn]));
  }

  search(lane: number, range: UsnRange): AsyncGenerator<readonly DirectoryObject[]> {
    return this.pages(lane, { range }, ({ usn }) => usn >= range.from && (range.to === undefined || usn <= range.to));
  }

  /** A slice holds the GUIDs whose last byte (of the text) lies in its bounds: the DC uses the first of the binary. */
  searchChildren(lane: number, parentDn: string, slice?: GuidSlice): AsyncGenerator<readonly DirectoryObject[]> {
    const bounds = slice ? guidSliceBounds(slice) : undefined;
    const inSlice = (guid: string): boolean => {
      if (!bounds) return true;
      const byte = parseInt(guid.slice(-2), 16);
      return byte >= bounds.from && (bounds.to === undefined || byte < bounds.to);
    };
    return this.pages(lane, { parent: parentDn, ...(slice ? { slice } : {}) }, ({ parent }, guid) => parent === parentDn && inSlice(guid));
  }

  private async *pages(lane: number, what: { range?: UsnRange; parent?: string; slice?: GuidSlice }, matches: (o: { usn: number; parent: string }, guid: string) => boolean): AsyncGenerator<readonly DirectoryObject[]> {
    this.openSearches++;
    try {
      const returned = new Set<string>();
      for (let pageIndex = 0; ; pageIndex++) {
        await this.hook(lane, what.range, pageIndex);
        const page = [...this.objects]
          .filter(([guid, o]) => !returned.has(guid) && matches(o, guid))
          .sort(([a], [b]) => a.localeCompare(b))
          .slice(0, this.pageSize)
          .map(([guid, { usn, parent }]): DirectoryObject => ({ objectGuid: guid, distinguishedName: `CN=${guid},${parent}`, kind: 'user', usnChanged: usn, attributes: {} }));
        this.pagesServed.push({ lane, ...what });
        if (page.length === 0) return;
        for (const o of page) returned.add(o.objectGuid);
        yield page;
        if (page.length < this.pageSize) return;
      }
    } finally {
      this.openSearches--;
    }
  }
}
