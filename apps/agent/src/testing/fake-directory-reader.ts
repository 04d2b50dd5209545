import { type DeletedObjects, type DirectoryReader, type OutsideTheBase } from '@syncready/ad-reader';
import { type DirectoryObject, type ForestInfo } from '@syncready/directory';

/**
 * An in-memory DC behind the reader port: a USN counter, objects that take the next USN when
 * written, tombstones for deleted objects, and an invocationId a test can change (a restore).
 */
export class FakeDirectoryReader implements DirectoryReader {
  private usn = 100;
  private readonly objects = new Map<string, DirectoryObject>();
  private readonly tombstones = new Map<string, number>();
  /** Objects moved out of the base, with the USN of the move. */
  private readonly movedOut = new Map<string, number>();
  /** Set to false to act like an account that may not read Deleted Objects. */
  tombstonesReadable = true;
  invocationId = '7ac5edcc-ac38-4ecb-8102-2f63ef63a2cf';
  /** How many of each read ran, so tests can tell a delta from a full read. */
  readonly reads = { full: 0, changed: 0, deleted: 0 };
  /** Runs before each changed-objects read: a write made while a delta is being read. */
  beforeChangedRead: () => void = () => undefined;

  constructor(public baseDn = 'OU=Site,DC=example,DC=test') {}

  /** Adds or modifies an object: it gets the next USN. */
  write(guid: string, patch: Partial<DirectoryObject> = {}): DirectoryObject {
    this.usn += 1;
    const previous = this.objects.get(guid);
    const object: DirectoryObject = {
      objectGuid: guid,
      distinguishedName: previous?.distinguishedName ?? `CN=${guid.slice(-4)},${this.baseDn}`,
      kind: 'user',
      attributes: previous?.attributes ?? { cn: [guid.slice(-4)] },
      ...patch,
      usnChanged: this.usn,
    };
    this.objects.set(guid, object);
    return object;
  }

  /** Moves an object out of the base (to another OU of the domain): the move takes the next USN. */
  moveOut(guid: string): void {
    this.usn += 1;
    this.objects.delete(guid);
    this.movedOut.set(guid, this.usn);
  }

  /** Deletes an object: it becomes a tombstone with the next USN. */
  delete(guid: string): void {
    this.usn += 1;
    this.objects.delete(guid);
    this.tombstones.set(guid, this.usn);
  }

  get highestCommittedUsn(): number {
    return this.usn;
  }

  async readForest(): Promise<ForestInfo> {
    return {
      dcDnsHostName: 'dc1.example.test', dsServiceName: 'CN=NTDS Settings,CN=DC1', invocationId: this.invocationId, highestCommittedUsn: this.usn,
      rootDomainNamingContext: 'DC=example,DC=test', defaultNamingContext: 'DC=example,DC=test',
      configurationNamingContext: 'CN=Configuration,DC=example,DC=test', schemaNamingContext: 'CN=Schema,CN=Configuration,DC=example,DC=test',
      forestFunctionality: 7, domainFunctionality: 7, domainControllerFunctionality: 7, schemaObjectVersion: 88, upnSuffixes: [], partitions: [],
    };
  }

  async *readObjects(): AsyncIterable<readonly DirectoryObject[]> {
    this.reads.full += 1;
    yield [...this.objects.values()];
  }

  async *readChangedSince(afterUsn: number, upToUsn: number, outside?: OutsideTheBase): AsyncIterable<readonly DirectoryObject[]> {
    this.reads.changed += 1;
    this.beforeChangedRead();
    for (const [guid, at] of this.movedOut) if (at > afterUsn && at <= upToUsn) outside?.found(guid);
    yield [...this.objects.values()].filter((o) => o.usnChanged > afterUsn && o.usnChanged <= upToUsn);
  }

  async readDeletedSince(afterUsn: number, upToUsn: number): Promise<DeletedObjects> {
    this.reads.deleted += 1;
    if (!this.tombstonesReadable) return { readable: false, reason: 'insufficient access (fake)' };
    return { readable: true, guids: [...this.tombstones].filter(([, at]) => at > afterUsn && at <= upToUsn).map(([guid]) => guid) };
  }

  async close(): Promise<void> {
    return undefined;
  }
}
