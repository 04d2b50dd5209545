import { type DirectoryObject } from '@syncready/directory';
import { type UsnRangeSource } from './partitioned-read';
import { type UsnRange } from './usn-ranges';

/** Called before each page is served; may modify the directory, or throw to fail the search. */
export type PageHook = (lane: number, range: UsnRange, pageIndex: number) => Promise<void> | void;

/**
 * An in-memory directory behind {@link UsnRangeSource} for unit tests: a USN counter like a
 * DC's, objects that move up when modified, and paged searches that evaluate the range at
 * every page (as a DC does), so an object modified mid-read leaves its range.
 */
export class InMemoryUsnDirectory implements UsnRangeSource {
  private usn = 0;
  private readonly objects = new Map<string, number>();
  /** Searches open now, and the most ever open on one lane at once. */
  openSearches = 0;
  readonly pagesServed: { lane: number; range: UsnRange }[] = [];

  constructor(
    private readonly pageSize: number,
    private readonly hook: PageHook = () => undefined,
  ) {}

  get highestCommittedUsn(): number {
    return this.usn;
  }

  /** Adds an object, or modifies it (a new USN) when it exists; returns its GUID. */
  write(guid: string): string {
    this.objects.set(guid, ++this.usn);
    return guid;
  }

  /** Writes that are not to objects read (other partitions, other OUs) still consume USNs. */
  skipUsns(count: number): void {
    this.usn += count;
  }

  /** The current (GUID → uSNChanged) of every object. */
  snapshot(): Map<string, number> {
    return new Map(this.objects);
  }

  async *search(lane: number, range: UsnRange): AsyncGenerator<readonly DirectoryObject[]> {
    this.openSearches++;
    try {
      const returned = new Set<string>();
      for (let pageIndex = 0; ; pageIndex++) {
        await this.hook(lane, range, pageIndex);
        const page = [...this.objects]
          .filter(([guid, usn]) => !returned.has(guid) && usn >= range.from && (range.to === undefined || usn <= range.to))
          .sort(([a], [b]) => a.localeCompare(b))
          .slice(0, this.pageSize)
          .map(([guid, usn]): DirectoryObject => ({ objectGuid: guid, distinguishedName: `CN=${guid}`, kind: 'user', usnChanged: usn, attributes: {} }));
        this.pagesServed.push({ lane, range });
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
