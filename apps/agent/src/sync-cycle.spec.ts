import { type DirectoryObject } from '@syncready/directory';
import { type AgentMessage } from '@syncready/protocol';
import { sayHello } from './session-hello';
import { runSyncCycle, type CycleOutcome } from './sync-cycle';
import { runSyncLoop, type SyncLoopOptions } from './sync-loop';
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

/** One cycle on a fresh session, from the welcome's cursor. */
async function cycle(dc: FakeDirectoryReader, cp: FakeControlPlane, fullSnapshot = false): Promise<CycleOutcome> {
  const connection = cp.connect();
  const welcome = await sayHello(connection, HELLO);
  return runSyncCycle({ reader: dc, connection, fullSnapshot }, { welcome, cursor: welcome.cursor });
}

const HELLO = { agentVersion: 't', hostName: 'h' };

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
    const welcome = await sayHello(connection, HELLO);
    const outcome = await runSyncCycle({ reader: dc, connection }, { welcome, cursor: welcome.cursor });
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

  it('sends an object moved out of the base as a deletion, once, even where tombstones cannot be read', async () => {
    const { dc, cp } = await synced();
    dc.tombstonesReadable = false;
    dc.moveOut(guid(7));
    const outcome = await cycle(dc, cp);
    expect(outcome).toMatchObject({ kind: 'delta', delta: { upserts: 0, deletions: 1, deletionsReadable: false } });
    expect(cp.objects.has(guid(7))).toBe(false);
    expect(byGuid(cp.objects.values())).toEqual(await collect(dc));
    expect(await cycle(dc, cp)).toMatchObject({ kind: 'delta', delta: { deletions: 0 } });
  });

  it('sends deltas without deletions when tombstones cannot be read, and says so', async () => {
    const { dc, cp } = await synced();
    dc.tombstonesReadable = false;
    dc.delete(guid(6));
    expect(await cycle(dc, cp)).toMatchObject({ kind: 'delta', delta: { deletions: 0, deletionsReadable: false } });
  });
});

describe('runSyncLoop', () => {
  /** A loop over `dc` and `cp` that records each cycle's kind; the interval passes at once. */
  function loop(dc: FakeDirectoryReader, cp: FakeControlPlane, maxCycles: number, overrides: Partial<SyncLoopOptions> = {}): { kinds: string[]; logs: string[]; run: Promise<void> } {
    const kinds: string[] = [];
    const logs: string[] = [];
    const run = runSyncLoop({
      connect: async () => {
        const connection = cp.connect();
        return { connection, welcome: await sayHello(connection, HELLO) };
      },
      cycle: async (connection, session, request) => {
        const outcome = await runSyncCycle({ reader: dc, connection, fullSnapshot: request.fullSnapshot, fullSnapshotReason: request.reason }, session);
        kinds.push(outcome.kind === 'snapshot' ? `snapshot: ${outcome.reason}` : 'delta');
        return outcome;
      },
      intervalMs: 60_000,
      reconcileEveryCycles: 288,
      out: () => undefined,
      log: (line) => logs.push(line),
      sleep: async () => undefined,
      maxCycles,
      ...overrides,
    });
    return { kinds, logs, run };
  }

  it('reconciles with a full snapshot every N cycles, and every 12 at most when tombstones are unreadable', async () => {
    const { dc, cp } = await synced();
    dc.tombstonesReadable = false;
    const { kinds, run } = loop(dc, cp, 26, { intervalMs: 1 });
    await run;
    expect(kinds.map((k, i) => (k.startsWith('snapshot') ? i : -1)).filter((i) => i >= 0)).toEqual([12, 24]);
  });

  it('keeps one session open across cycles and continues from the cursor each commit leaves', async () => {
    const { dc, cp } = await synced();
    const connectionsBefore = cp.connections;
    let writes = 0;
    const { kinds, run } = loop(dc, cp, 4, {
      intervalMs: 1,
      // Each cycle changes one object; each delta must carry exactly that one.
      cycle: async (connection, session) => {
        dc.write(guid(200 + writes++));
        const outcome = await runSyncCycle({ reader: dc, connection }, session);
        kinds.push(outcome.kind === 'delta' ? `delta of ${outcome.delta.upserts}` : 'snapshot');
        return outcome;
      },
    });
    await run;
    expect(kinds).toEqual(['delta of 1', 'delta of 1', 'delta of 1', 'delta of 1']);
    expect(cp.connections - connectionsBefore).toBe(1);
    expect(types(cp).filter((t) => t === 'hello')).toHaveLength(1);
    expect(byGuid(cp.objects.values())).toEqual(await collect(dc));
  });

  it('runs a full snapshot at once when the control plane sends a resync request between cycles', async () => {
    const { dc, cp } = await synced();
    const slept: number[] = [];
    const { kinds, logs, run } = loop(dc, cp, 3, {
      cycle: async (connection, session, request) => {
        const outcome = await runSyncCycle({ reader: dc, connection, fullSnapshot: request.fullSnapshot, fullSnapshotReason: request.reason }, session);
        kinds.push(outcome.kind === 'snapshot' ? `snapshot: ${outcome.reason}` : 'delta');
        // The operator asks for a resync after the first cycle only.
        if (kinds.length === 1) cp.push({ type: 'syncRequest', fullSnapshot: true, reason: 'requested by ops@example.com' });
        return outcome;
      },
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await run;
    expect(kinds).toEqual(['delta', 'snapshot: the control plane asked for a resync (requested by ops@example.com)', 'delta']);
    expect(logs).toContain('the control plane asked for a full snapshot now: requested by ops@example.com');
    expect(slept).toEqual([]);
  });

  it('keeps a sync request that arrives during a cycle, and starts the next cycle as soon as that one ends', async () => {
    const { dc, cp } = await synced();
    const seen: string[] = [];
    const { run } = loop(dc, cp, 2, {
      cycle: async (connection, session, request) => {
        // Queued ahead of the commit: the cycle's wait for deltaCommitted meets it first.
        if (seen.length === 0) cp.push({ type: 'syncRequest', fullSnapshot: true, reason: 'mid-cycle' });
        const outcome = await runSyncCycle({ reader: dc, connection, fullSnapshot: request.fullSnapshot, fullSnapshotReason: request.reason }, session);
        seen.push(outcome.kind === 'snapshot' ? `snapshot: ${outcome.reason}` : 'delta');
        return outcome;
      },
    });
    await run;
    // Lost, the request would have left the second cycle a plain delta.
    expect(seen).toEqual(['delta', 'snapshot: the control plane asked for a resync (mid-cycle)']);
  });

  it('reconnects after a random delay when the idle session drops, and continues with the new welcome', async () => {
    const { dc, cp } = await synced();
    const connectionsBefore = cp.connections;
    const slept: number[] = [];
    const { kinds, logs, run } = loop(dc, cp, 2, {
      cycle: async (connection, session) => {
        const outcome = await runSyncCycle({ reader: dc, connection }, session);
        kinds.push(outcome.kind);
        if (kinds.length === 1) cp.drop();
        return outcome;
      },
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await run;
    expect(kinds).toEqual(['delta', 'delta']);
    expect(cp.connections - connectionsBefore).toBe(2);
    expect(logs.some((l) => l.startsWith('the session with the control plane ended between cycles'))).toBe(true);
    expect(slept).toHaveLength(1);
  });

  it('does not reconnect at once when the control plane refused the session (revoked, or another connection of this installation)', async () => {
    const { dc, cp } = await synced();
    const connectionsBefore = cp.connections;
    const slept: number[] = [];
    const { kinds, logs, run } = loop(dc, cp, 2, {
      cycle: async (connection, session) => {
        const outcome = await runSyncCycle({ reader: dc, connection }, session);
        kinds.push(outcome.kind);
        if (kinds.length === 1) cp.drop('CONTROL_PLANE.REFUSED');
        return outcome;
      },
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await run;
    // One wait for the rest of the interval, then the next cycle's own connection: no flapping.
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(59_000);
    expect(cp.connections - connectionsBefore).toBe(2);
    expect(logs.some((l) => l.startsWith('the control plane refused the session'))).toBe(true);
  });

  it('starts the next cycle on a fresh connection after a failed one', async () => {
    const { dc, cp } = await synced();
    const connectionsBefore = cp.connections;
    let failures = 1;
    const { kinds, logs, run } = loop(dc, cp, 2, {
      cycle: async (connection, session) => {
        if (failures-- > 0) throw new Error('the DC went away');
        const outcome = await runSyncCycle({ reader: dc, connection }, session);
        kinds.push(outcome.kind);
        return outcome;
      },
    });
    await run;
    expect(kinds).toEqual(['delta']);
    expect(logs[0]).toMatch(/^sync cycle failed, retrying in 1\.00 min: the DC went away$/);
    expect(cp.connections - connectionsBefore).toBe(2);
  });
});

async function collect(dc: FakeDirectoryReader): Promise<DirectoryObject[]> {
  const all: DirectoryObject[] = [];
  for await (const page of dc.readObjects()) all.push(...page);
  return byGuid(all);
}
