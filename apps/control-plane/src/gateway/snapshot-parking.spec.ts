import { SnapshotParking, type OpenSnapshot } from './snapshot-parking';

describe('SnapshotParking', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function parking(): { p: SnapshotParking; discarded: string[] } {
    const discarded: string[] = [];
    const p = new SnapshotParking({ resumeWindowMs: 1000, discard: async (s) => void discarded.push(s.snapshotId) });
    return { p, discarded };
  }
  const open = (snapshotId: string, nextSequence = 5): OpenSnapshot => ({ snapshotId, generationId: 1, nextSequence });

  it('hands a parked snapshot back to its resume, with the sequence it reached', async () => {
    const { p, discarded } = parking();
    await p.park('site', open('s1', 7));
    expect(await p.take('site', 's1')).toEqual(open('s1', 7));
    expect(await p.take('site', 's1')).toBeUndefined();
    expect(discarded).toEqual([]);
  });

  it('discards a snapshot not resumed within the window', async () => {
    const { p, discarded } = parking();
    await p.park('site', open('s1'));
    jest.advanceTimersByTime(1001);
    await Promise.resolve();
    expect(discarded).toEqual(['s1']);
    expect(await p.take('site', 's1')).toBeUndefined();
  });

  it('discards the parked snapshot when the agent begins another one', async () => {
    const { p, discarded } = parking();
    await p.park('site', open('s1'));
    expect(await p.take('site', 's2')).toBeUndefined();
    expect(discarded).toEqual(['s1']);
  });

  it('waits for the session still holding the snapshot before handing it over', async () => {
    const { p } = parking();
    let wound: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (wound = resolve));
    p.hold('s1', closed);
    const taken = p.take('site', 's1');
    await p.park('site', open('s1', 9));
    p.release(closed);
    wound();
    expect(await taken).toEqual(open('s1', 9));
  });
});
