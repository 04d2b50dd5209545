import { type DirectoryReader, type ReadHints } from '@syncready/ad-reader';
import { ObjectSetDigest, type DirectoryObject, type ForestInfo } from '@syncready/directory';
import { type AgentMessage, type ServerMessage } from '@syncready/protocol';
import { ControlPlaneError } from './exit-codes';
import { runSnapshotOnce } from './snapshot-run';
import { type UsnProfile, type UsnProfileStore } from './usn-profile';
import { type AgentConnection } from './ws-agent-transport';

const FOREST: ForestInfo = {
  dcDnsHostName: 'dc1.example.test', dsServiceName: 'CN=NTDS Settings,CN=DC1', invocationId: '7ac5edcc-ac38-4ecb-8102-2f63ef63a2cf',
  highestCommittedUsn: 5000, rootDomainNamingContext: 'DC=example,DC=test', defaultNamingContext: 'DC=example,DC=test',
  configurationNamingContext: 'CN=Configuration,DC=example,DC=test', schemaNamingContext: 'CN=Schema,CN=Configuration,DC=example,DC=test',
  forestFunctionality: 7, domainFunctionality: 7, domainControllerFunctionality: 7, schemaObjectVersion: 88, upnSuffixes: [], partitions: [],
};

function object(i: number): DirectoryObject {
  return {
    objectGuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    distinguishedName: `CN=User ${i},DC=example,DC=test`,
    kind: 'user',
    usnChanged: 100 + i,
    attributes: { cn: [`User ${i}`] },
  };
}

/** An in-memory directory behind the reader port; `hints` records what each full read was given. */
function reader(pages: DirectoryObject[][], hints: (ReadHints | undefined)[] = []): DirectoryReader {
  return {
    baseDn: 'DC=example,DC=test',
    readForest: async () => FOREST,
    async *readObjects(given?: ReadHints) {
      hints.push(given);
      for (const page of pages) yield page;
    },
    // Deltas are covered by sync-cycle.spec.ts.
    async *readChangedSince() {
      yield [];
    },
    readDeletedSince: async () => ({ readable: true, guids: [] }),
    close: async () => undefined,
  };
}

/** A control plane that answers like the real one: welcome, an ack per batch, then the outcome. */
function connection(outcome: (end: Extract<AgentMessage, { type: 'snapshotEnd' }>) => ServerMessage): AgentConnection & { sent: AgentMessage[] } {
  const sent: AgentMessage[] = [];
  const inbox: ServerMessage[] = [];
  return {
    sent,
    async send(message) {
      sent.push(message);
      if (message.type === 'hello') inbox.push({ type: 'welcome', protocolVersion: 1, serverVersion: 't', capabilities: [], siteId: 'site_1', sessionId: 's', maxFrameBytes: 1 << 22, heartbeatIntervalMs: 30_000 });
      if (message.type === 'objectBatch') inbox.push({ type: 'ack', snapshotId: message.snapshotId, sequence: message.sequence });
      if (message.type === 'snapshotEnd') inbox.push(outcome(message));
    },
    async receive(_timeout, waitingFor) {
      const next = inbox.shift();
      if (!next) throw new ControlPlaneError('CONTROL_PLANE.TIMEOUT', `nothing queued while waiting for ${waitingFor}`);
      return next;
    },
    close: async () => undefined,
  };
}

describe('runSnapshotOnce', () => {
  const pages = [Array.from({ length: 7 }, (_, i) => object(i)), Array.from({ length: 5 }, (_, i) => object(7 + i))];

  it('sends hello, begin, batches of at most batchSize with sequences 1..n, and an end with count and digest', async () => {
    const conn = connection((end) => ({ type: 'snapshotCommitted', snapshotId: end.snapshotId, generation: 3, objectCount: end.objectCount }));
    const outcome = await runSnapshotOnce({ reader: reader(pages), connection: conn, agentVersion: 't', hostName: 'h', batchSize: 4 });

    expect(conn.sent.map((m) => m.type)).toEqual(['hello', 'snapshotBegin', 'objectBatch', 'objectBatch', 'objectBatch', 'snapshotEnd']);
    const batches = conn.sent.filter((m): m is Extract<AgentMessage, { type: 'objectBatch' }> => m.type === 'objectBatch');
    expect(batches.map((b) => [b.sequence, b.objects.length])).toEqual([[1, 4], [2, 4], [3, 4]]);
    const expected = new ObjectSetDigest();
    pages.flat().forEach((o) => expected.add(o.objectGuid, o.usnChanged));
    expect(conn.sent.at(-1)).toMatchObject({ type: 'snapshotEnd', sequence: 3, objectCount: 12, digest: expected.toString() });
    expect(outcome).toMatchObject({ generation: 3, objectCount: 12, siteId: 'site_1', frames: 3 });
  });

  it('sends and counts an object read twice once, at its newest version', async () => {
    const changed = { ...object(3), usnChanged: 9000 };
    const conn = connection((end) => ({ type: 'snapshotCommitted', snapshotId: end.snapshotId, generation: 2, objectCount: end.objectCount }));
    // Range reads saw object 3 before and after a change, and object 5 twice at one version.
    await runSnapshotOnce({ reader: reader([...pages, [changed, object(5)]]), connection: conn, agentVersion: 't', hostName: 'h', batchSize: 100 });
    const sentObjects = conn.sent.flatMap((m) => (m.type === 'objectBatch' ? m.objects : []));
    expect(sentObjects).toHaveLength(13);
    const expected = new ObjectSetDigest();
    pages.flat().forEach((o) => expected.add(o.objectGuid, o === pages[0]?.[3] ? 9000 : o.usnChanged));
    expect(conn.sent.at(-1)).toMatchObject({ type: 'snapshotEnd', objectCount: 12, digest: expected.toString() });
  });

  it('sends an empty directory as begin + end with sequence 0', async () => {
    const conn = connection((end) => ({ type: 'snapshotCommitted', snapshotId: end.snapshotId, generation: 1, objectCount: 0 }));
    await runSnapshotOnce({ reader: reader([]), connection: conn, agentVersion: 't', hostName: 'h' });
    expect(conn.sent.at(-1)).toMatchObject({ type: 'snapshotEnd', sequence: 0, objectCount: 0 });
  });

  it('reports a rejected snapshot as CONTROL_PLANE.REJECTED', async () => {
    const conn = connection((end) => ({ type: 'snapshotRejected', snapshotId: end.snapshotId, reason: 'countMismatch', message: 'stored 11' }));
    await expect(runSnapshotOnce({ reader: reader(pages), connection: conn, agentVersion: 't', hostName: 'h' })).rejects.toMatchObject({
      code: 'CONTROL_PLANE.REJECTED',
    });
  });

  it('splits batches by size so a frame stays under the limit', async () => {
    const big = Array.from({ length: 6 }, (_, i) => ({ ...object(i), attributes: { proxyAddresses: Array.from({ length: 2000 }, (_, j) => `smtp:alias${j}-${'x'.repeat(200)}@example.test`) } }));
    const conn = connection((end) => ({ type: 'snapshotCommitted', snapshotId: end.snapshotId, generation: 1, objectCount: end.objectCount }));
    await runSnapshotOnce({ reader: reader([big]), connection: conn, agentVersion: 't', hostName: 'h', batchSize: 500 });
    const batches = conn.sent.filter((m) => m.type === 'objectBatch');
    expect(batches.length).toBeGreaterThan(1);
  });

  describe('USN profile', () => {
    const committed = (end: Extract<AgentMessage, { type: 'snapshotEnd' }>): ServerMessage => ({ type: 'snapshotCommitted', snapshotId: end.snapshotId, generation: 1, objectCount: end.objectCount });
    const memory = (initial?: UsnProfile): UsnProfileStore & { saved: UsnProfile[] } => {
      let current = initial;
      const saved: UsnProfile[] = [];
      return { saved, load: () => current, save: (p) => (saved.push(p), (current = p)) };
    };

    it('keeps where the committed snapshot found its objects, leaving out those changed during the read', async () => {
      const store = memory();
      const during = { ...object(20), usnChanged: FOREST.highestCommittedUsn + 7 };
      const hints: (ReadHints | undefined)[] = [];
      await runSnapshotOnce({ reader: reader([...pages, [during]], hints), connection: connection(committed), agentVersion: 't', hostName: 'h', usnProfile: store });
      expect(hints).toEqual([undefined]);
      expect(store.saved).toHaveLength(1);
      const profile = store.saved[0] as UsnProfile;
      expect(profile).toMatchObject({ invocationId: FOREST.invocationId, baseDn: 'DC=example,DC=test', readUpToUsn: FOREST.highestCommittedUsn, objectCount: 12 });
      // Objects 0..11 carry 100..111: the last quantile is the highest of them, not the changed one.
      expect(profile.quantiles).toHaveLength(16);
      expect(profile.quantiles.at(-1)).toBe(111);
      expect(profile.quantiles[0]).toBe(100);
      // All 13 sent sit right below the base: the parent counts hold what was sent, changed or not.
      expect(profile.parentCounts).toEqual({ 'dc=example,dc=test': 13 });
    });

    it('hands the profile of the same DC and base to the next read, and no other', async () => {
      const same: UsnProfile = { invocationId: FOREST.invocationId, baseDn: 'dc=EXAMPLE,dc=test', readUpToUsn: 4000, quantiles: [120, 130], objectCount: 2, parentCounts: { 'dc=example,dc=test': 2 } };
      const hints: (ReadHints | undefined)[] = [];
      await runSnapshotOnce({ reader: reader(pages, hints), connection: connection(committed), agentVersion: 't', hostName: 'h', usnProfile: memory(same) });
      for (const other of [{ ...same, invocationId: 'another-dc' }, { ...same, baseDn: 'OU=Elsewhere,DC=example,DC=test' }]) {
        await runSnapshotOnce({ reader: reader(pages, hints), connection: connection(committed), agentVersion: 't', hostName: 'h', usnProfile: memory(other) });
      }
      expect(hints).toEqual([{ usnQuantiles: [120, 130], readUpToUsn: 4000, objectCount: 2, parentCounts: { 'dc=example,dc=test': 2 } }, undefined, undefined]);
    });

    it('keeps no profile of a rejected snapshot', async () => {
      const store = memory();
      const rejected = (end: Extract<AgentMessage, { type: 'snapshotEnd' }>): ServerMessage => ({ type: 'snapshotRejected', snapshotId: end.snapshotId, reason: 'countMismatch', message: 'x' });
      await expect(runSnapshotOnce({ reader: reader(pages), connection: connection(rejected), agentVersion: 't', hostName: 'h', usnProfile: store })).rejects.toBeDefined();
      expect(store.saved).toEqual([]);
    });
  });
});
