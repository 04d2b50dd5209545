import { Capability, intersectCapabilities, SUPPORTED_CAPABILITIES } from './capabilities';

describe('intersectCapabilities', () => {
  it.each([
    [['snapshot.v1', 'heartbeat.v1'], ['heartbeat.v1', 'snapshot.v1'], ['snapshot.v1', 'heartbeat.v1']],
    [['snapshot.v1', 'heartbeat.v1'], ['snapshot.v1', 'delta.v1', 'future.v7'], ['snapshot.v1']],
    [['snapshot.v1'], [], []],
    [[], ['snapshot.v1'], []],
    [['snapshot.v1', 'snapshot.v1'], ['snapshot.v1'], ['snapshot.v1']],
    [['Snapshot.V1'], ['snapshot.v1'], []],
  ])('ours %j ∩ theirs %j = %j', (ours, theirs, expected) => {
    expect(intersectCapabilities(ours, theirs)).toEqual(expected);
  });
});

describe('Capability', () => {
  it('names are unique and follow <feature>.v<n>', () => {
    const names = Object.values(Capability);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9-]*\.v[1-9][0-9]*$/);
  });

  it('this build announces full snapshots, heartbeats, deltas and resumable snapshots', () => {
    expect(SUPPORTED_CAPABILITIES).toEqual(['snapshot.v1', 'heartbeat.v1', 'delta.v1', 'resume.v1', 'sync-request.v1']);
  });
});
