import { type DirectoryObject } from '@syncready/directory';
import { DeltaAssembler } from './delta-assembler';

const object = (n: number): DirectoryObject => ({
  objectGuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  distinguishedName: `CN=U${n},DC=example,DC=test`,
  kind: 'user',
  usnChanged: 100 + n,
  attributes: {},
});
const begin = { type: 'deltaBegin', deltaId: 'd', baseGeneration: 1, invocationId: 'inv', fromUsn: 11, toUsn: 200 } as const;
const batch = (sequence: number, upserts: DirectoryObject[], deletions: string[] = []) => ({ type: 'deltaBatch', deltaId: 'd', sequence, upserts, deletions }) as const;
const end = (sequence: number, upsertCount: number, deletionCount = 0) => ({ type: 'deltaEnd', deltaId: 'd', sequence, upsertCount, deletionCount }) as const;

describe('DeltaAssembler', () => {
  it('assembles batches in order into one store input, ignoring a re-sent batch', () => {
    const assembler = new DeltaAssembler();
    assembler.start(begin);
    assembler.add(batch(1, [object(1), object(2)]));
    assembler.add(batch(1, [object(1), object(2)]));
    assembler.add(batch(2, [], [object(3).objectGuid]));
    expect(assembler.finish(end(2, 2, 1))).toEqual({
      ok: true,
      input: { deltaId: 'd', baseGeneration: 1, invocationId: 'inv', fromUsn: 11, toUsn: 200, upserts: [object(1), object(2)], deletions: [object(3).objectGuid] },
    });
  });

  it.each([
    ['a skipped sequence', (a: DeltaAssembler) => a.add(batch(2, [object(1)])), end(2, 1)],
    ['counts that differ from what arrived', (a: DeltaAssembler) => a.add(batch(1, [object(1)])), end(1, 2)],
    ['an end at the wrong sequence', (a: DeltaAssembler) => a.add(batch(1, [object(1)])), end(3, 1)],
  ])('refuses %s', (_name, feed, last) => {
    const assembler = new DeltaAssembler();
    assembler.start(begin);
    feed(assembler);
    expect(assembler.finish(last)).toMatchObject({ ok: false });
  });

  it('refuses a delta that was never begun, and one larger than its bound', () => {
    expect(new DeltaAssembler().finish(end(0, 0))).toMatchObject({ ok: false, message: expect.stringContaining('not begun') });
    const small = new DeltaAssembler(2);
    small.start(begin);
    small.add(batch(1, [object(1), object(2), object(3)]));
    expect(small.finish(end(1, 3))).toMatchObject({ ok: false, message: expect.stringContaining('full snapshot') });
  });
});
