import { type DirectoryObject } from '@syncready/directory';
import { type AgentMessage } from '@syncready/protocol';
import { runSyncCycle, type CycleOutcome } from './sync-cycle';
import { runSyncLoop } from './sync-loop';
import { FakeControlPlane } from './testing/fake-control-plane';
import { FakeDirectoryReader } from './testing/fake-directory-reader';

const guid = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A DC with 20 users and a control plane that has committed a full snapshot of them. */
async function synced(): Promise<{ dc: FakeDirectoryReader; cp: FakeControlPlane }> {
  const dc = new FakeDirectoryReader();
  for (let i = 1; i <= 20; i++) dc.write(guid(i));
  const cp = new FakeControlPlane();
  const first = await cycle(dc, cp);
  expect(first.kind).toBe('snapshot');
  cp.sent.length = 0;
  return { dc, cp };
}

function cycle(dc: FakeDirectoryReader, cp: FakeControlPlane, fullSnapshot = false): Promise<CycleOutcome> {
  return runSyncCycle({ reader: dc, connection: cp.connect(), agentVersion: 't', hostName: 'h', fullSnapshot });
}

const byGuid = (objects: Iterable<DirectoryObject>): DirectoryObject[] => [...objects].sort((a, b) => a.objectGuid.localeCompare(b.objectGuid));
const types = (cp: FakeControlPlane): string[] => cp.sent.map((m) => m.type);
const upsertsSent = (cp: FakeControlPlane): DirectoryObject[] => cp.sent.flatMap((m: AgentMessage) => (m.type === 'deltaBatch' ? m.upserts : []));

describe('runSyncCycle', () => {
  it('sends only the added, modified, moved and deleted objects when the cursor matches the DC', async () => {
    const { dc, cp } = await synced();
    dc.write(guid(100)); // added
    dc.write(guid(2), { attributes: { cn: ['changed'] } }); // modified
    dc.write(guid(3), { distinguishedName: `CN=moved,OU=Other,${dc.baseDn}` }); // renamed and moved
    dc.delete(guid(4));
    const outcome = await cycle(dc, cp);

    expect(outcome).toMatchObject({ kind: 'delta', delta: { upserts: 3, deletions: 1, deletionsReadable: true } });
    expect(types(cp)).toEqual(['hello', 'deltaBegin', 'deltaBatch', 'deltaBatch', 'deltaEnd']);
    expect(upsertsSent(cp).map((o) => o.objectGuid).sort()).toEqual([guid(2), guid(3), guid(100)]);
    expect(dc.reads).toEqual({ full: 1, changed: 1, deleted: 1 });
    expect(byGuid(cp.objects.values())).toEqual(await collect(dc));
  });

  it('sends an empty delta that still moves the cursor when nothing changed', async () => {
    const { dc, cp } = await synced();
    const outcome = await cycle(dc, cp);
    expect(outcome).toMatchObject({ kind: 'delta', delta: { upserts: 0, deletions: 0, frames: 0 } });
    expect(cp.cursor?.highestUsn).toBe(dc.highestCommittedUsn);
  });

  it('sends a full snapshot when the DC has a new invocationId (restored from a backup, or another DC)', async () => {
    const { dc, cp } = await synced();
    dc.invocationId = '11111111-2222-4333-8444-555555555555';
    dc.write(guid(5));
    const outcome = await cycle(dc, cp);
    expect(outcome).toMatchObject({ kind: 'snapshot', reason: expect.stringContaining('invocationId') });
    expect(types(cp)).not.toContain('deltaBegin');
    expect(cp.cursor?.invocationId).toBe(dc.invocationId);
    expect(byGuid(cp.objects.values())).toEqual(await collect(dc));
  });

  it('sends a full snapshot when the search base changed', async () => {
    const { dc, cp } = await synced();
    dc.baseDn = 'OU=Elsewhere,DC=example,DC=test';
    expect(await cycle(dc, cp)).toMatchObject({ kind: 'snapshot', reason: expect.stringContaining('search base') });
  });

  it('sends a full snapshot when the control plane holds no cursor, or does not take deltas', async () => {
    const { dc, cp } = await synced();
    cp.deltaCapable = false;
    expect(await cycle(dc, cp)).toMatchObject({ kind: 'snapshot', reason: expect.stringContaining('does not take deltas') });
    expect(await cycle(dc, new FakeControlPlane())).toMatchObject({ kind: 'snapshot', reason: expect.stringContaining('no committed snapshot') });
  });

  it('falls back to a full snapshot in the same session when the control plane refuses the delta', async () => {
    const { dc, cp } = await synced();
    const stale = cp.cursor;
    await cycle(dc, cp, true); // a newer generation, e.g. committed by another session
    cp.sent.length = 0;
    const connection = cp.connect();
    // Welcome the agent with the stale cursor, as a control plane would that raced a commit.
    const send = connection.send.bind(connection);
    const current = cp.cursor;
    cp.cursor = stale;
    connection.send = async (m) => {
      if (m.type === 'deltaBegin') cp.cursor = current;
      await send(m);
    };
    const outcome = await runSyncCycle({ reader: dc, connection, agentVersion: 't', hostName: 'h' });
    expect(outcome).toMatchObject({ kind: 'snapshot', reason: expect.stringContaining('baseMismatch') });
    expect(types(cp)).toEqual(['hello', 'deltaBegin', 'deltaEnd', 'snapshotBegin', 'objectBatch', 'snapshotEnd']);
  });

  it('sends a change made while a delta is read exactly once, with the next delta', async () => {
    const { dc, cp } = await synced();
    dc.beforeChangedRead = () => {
      dc.write(guid(7), { attributes: { cn: ['during'] } });
      dc.beforeChangedRead = () => undefined;
    };
    expect(await cycle(dc, cp)).toMatchObject({ kind: 'delta', delta: { upserts: 0 } });
    expect(await cycle(dc, cp)).toMatchObject({ kind: 'delta', delta: { upserts: 1 } });
    expect(cp.objects.get(guid(7))?.attributes).toEqual({ cn: ['during'] });
  });

  it('sends deltas without deletions when tombstones cannot be read, and says so', async () => {
    const { dc, cp } = await synced();
    dc.tombstonesReadable = false;
    dc.delete(guid(6));
    expect(await cycle(dc, cp)).toMatchObject({ kind: 'delta', delta: { deletions: 0, deletionsReadable: false } });
  });
});

describe('runSyncLoop', () => {
  it('reconciles with a full snapshot every N cycles, and every 12 at most when tombstones are unreadable', async () => {
    const { dc, cp } = await synced();
    dc.tombstonesReadable = false;
    const kinds: string[] = [];
    await runSyncLoop({
      cycle: async (full) => {
        const outcome = await cycle(dc, cp, full);
        kinds.push(outcome.kind);
        return outcome;
      },
      intervalMs: 1,
      reconcileEveryCycles: 288,
      out: () => undefined,
      log: () => undefined,
      sleep: async () => undefined,
      maxCycles: 26,
    });
    expect(kinds.map((k, i) => (k === 'snapshot' ? i : -1)).filter((i) => i >= 0)).toEqual([12, 24]);
  });
});

async function collect(dc: FakeDirectoryReader): Promise<DirectoryObject[]> {
  const all: DirectoryObject[] = [];
  for await (const page of dc.readObjects()) all.push(...page);
  return byGuid(all);
}
