import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeAgentMessage, type AgentMessage } from '@syncready/protocol';
import { FrameSpool } from './frame-spool';

const GUID = (n: number): string => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

function batch(sequence: number): AgentMessage {
  return {
    type: 'objectBatch',
    snapshotId: 'snap-1',
    sequence,
    objects: [{ objectGuid: GUID(sequence), distinguishedName: `CN=u${sequence},DC=example,DC=test`, kind: 'user', usnChanged: sequence, attributes: { description: ['x'.repeat(400)] } }],
  } as unknown as AgentMessage;
}

async function sequences(spool: FrameSpool, after: number): Promise<number[]> {
  const seen: number[] = [];
  for await (const m of spool.replay(after)) if (m.type === 'objectBatch') seen.push(m.sequence);
  return seen;
}

describe('FrameSpool', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'spool-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps memory under the bound by spilling to the file, and reads every frame back in order', async () => {
    const file = join(dir, 'stream.spool');
    const spool = new FrameSpool({ file, maxMemoryBytes: 2048 });
    for (let s = 1; s <= 40; s++) {
      await spool.append(s, encodeAgentMessage(batch(s)));
      expect(spool.heldBytes).toBeLessThanOrEqual(2048);
    }
    expect(statSync(file).size).toBeGreaterThan(2048);
    expect(await sequences(spool, 0)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const replayed: AgentMessage[] = [];
    for await (const m of spool.replay(39)) replayed.push(m);
    expect(replayed).toEqual([batch(40)]);
  });

  it('replays only what follows the acknowledged sequence and drops the file once it is all acknowledged', async () => {
    const file = join(dir, 'stream.spool');
    const spool = new FrameSpool({ file, maxMemoryBytes: 2048 });
    for (let s = 1; s <= 12; s++) await spool.append(s, encodeAgentMessage(batch(s)));
    await spool.acknowledge(5);
    expect(await sequences(spool, 0)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    await spool.acknowledge(12);
    expect(existsSync(file)).toBe(false);
    expect(await sequences(spool, 0)).toEqual([]);
    await spool.append(12, encodeAgentMessage(batch(12)));
    expect(await sequences(spool, 0)).toEqual([]);
  });

  it('holds small streams in memory only', async () => {
    const file = join(dir, 'stream.spool');
    const spool = new FrameSpool({ file });
    for (let s = 1; s <= 3; s++) await spool.append(s, encodeAgentMessage(batch(s)));
    expect(existsSync(file)).toBe(false);
    expect(await sequences(spool, 1)).toEqual([2, 3]);
    await spool.clear();
    expect(await sequences(spool, 0)).toEqual([]);
  });
});
