import { FindingsScheduler } from './findings-scheduler';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('FindingsScheduler', () => {
  it('returns at once, runs one site at a time and collapses requests made meanwhile into one more run', async () => {
    const gates: { siteId: string; gate: ReturnType<typeof deferred> }[] = [];
    const scheduler = new FindingsScheduler(
      (siteId) => {
        const gate = deferred();
        gates.push({ siteId, gate });
        return gate.promise;
      },
      () => undefined,
    );
    scheduler.request('a');
    scheduler.request('a');
    scheduler.request('a');
    scheduler.request('b');
    expect(gates.map((g) => g.siteId)).toEqual(['a', 'b']);
    gates[0]?.gate.resolve();
    await new Promise((r) => setImmediate(r));
    expect(gates.map((g) => g.siteId)).toEqual(['a', 'b', 'a']);
    gates[1]?.gate.resolve();
    gates[2]?.gate.resolve();
    await scheduler.idle();
    expect(gates).toHaveLength(3);
  });

  it('reports a failed run and keeps serving the site', async () => {
    const errors: string[] = [];
    let calls = 0;
    const scheduler = new FindingsScheduler(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
      },
      (siteId, err) => errors.push(`${siteId}: ${(err as Error).message}`),
    );
    scheduler.request('a');
    await scheduler.idle();
    scheduler.request('a');
    await scheduler.idle();
    expect(errors).toEqual(['a: boom']);
    expect(calls).toBe(2);
  });
});
