import { FindingsScheduler, type FindingsWork } from './findings-scheduler';
import { type SiteChange } from './site-change';

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

  it('keeps serving the site when the error reporter itself throws', async () => {
    let calls = 0;
    const scheduler = new FindingsScheduler<number>(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('boom');
        return calls;
      },
      () => {
        throw new Error('reporter down');
      },
    );
    await expect(scheduler.recompute('a')).rejects.toThrow('boom');
    await expect(scheduler.recompute('a')).resolves.toBe(2);
    await scheduler.idle();
  });

  describe('recompute', () => {
    it('settles with the outcome of a full run that starts after the run under way, and takes the deltas queued with it', async () => {
      const works: string[] = [];
      const gates: ReturnType<typeof deferred>[] = [];
      const scheduler = new FindingsScheduler<string>(
        async (_siteId, work) => {
          const label = work.kind === 'full' ? 'full' : `deltas ${work.changes.length}`;
          works.push(label);
          const gate = deferred();
          gates.push(gate);
          await gate.promise;
          return `${label} #${works.length}`;
        },
        () => undefined,
      );
      const change: SiteChange = { generation: 1, upserts: [], deletions: ['g'] };
      scheduler.request('a', change);
      scheduler.request('a', change);
      let settled: string | undefined;
      const outcome = scheduler.recompute('a').then((o) => (settled = o));
      scheduler.request('a', change);
      await new Promise((r) => setImmediate(r));
      // The first delta's run is under way: the recompute waits for it, whatever it returns.
      expect(works).toEqual(['deltas 1']);
      gates[0]?.resolve();
      await new Promise((r) => setImmediate(r));
      expect(settled).toBeUndefined();
      expect(works).toEqual(['deltas 1', 'full']);
      gates[1]?.resolve();
      await outcome;
      expect(settled).toBe('full #2');
      await scheduler.idle();
      expect(works).toEqual(['deltas 1', 'full']);
    });

    it('rejects with the error of its run, reports it, and the site keeps being served', async () => {
      const errors: string[] = [];
      let calls = 0;
      const scheduler = new FindingsScheduler<number>(
        async () => {
          calls += 1;
          if (calls === 1) throw new Error('store gone');
          return calls;
        },
        (siteId, err) => errors.push(`${siteId}: ${(err as Error).message}`),
      );
      await expect(scheduler.recompute('a')).rejects.toThrow('store gone');
      await expect(scheduler.recompute('a')).resolves.toBe(2);
      expect(errors).toEqual(['a: store gone']);
    });

    it('answers every caller that asked while the same full run was queued', async () => {
      const gate = deferred();
      let calls = 0;
      const scheduler = new FindingsScheduler<number>(
        async () => {
          calls += 1;
          if (calls === 1) await gate.promise;
          return calls;
        },
        () => undefined,
      );
      scheduler.request('a');
      const both = Promise.all([scheduler.recompute('a'), scheduler.recompute('a')]);
      gate.resolve();
      await expect(both).resolves.toEqual([2, 2]);
      expect(calls).toBe(2);
    });
  });

  describe('deltas', () => {
    const change = (deletions: number): SiteChange => ({ generation: 1, upserts: [], deletions: Array.from({ length: deletions }, (_, i) => `guid-${i}`) });
    const describeWork = (work: FindingsWork): string => (work.kind === 'full' ? 'full' : `deltas ${work.changes.map((c) => c.deletions.length).join(',')}`);

    /** A scheduler whose runs wait for `release()`; `works` lists what each run was given. */
    function gated(maxQueuedObjects?: number) {
      const works: string[] = [];
      const gates: ReturnType<typeof deferred>[] = [];
      const scheduler = new FindingsScheduler(
        (_siteId, work) => {
          works.push(describeWork(work));
          const gate = deferred();
          gates.push(gate);
          return gate.promise;
        },
        () => undefined,
        maxQueuedObjects === undefined ? {} : { maxQueuedObjects },
      );
      const release = async (): Promise<void> => {
        for (const gate of gates) gate.resolve();
        await new Promise((r) => setImmediate(r));
      };
      return { scheduler, works, release };
    }

    it('hands the deltas that arrived during a run to the next run, in commit order', async () => {
      const { scheduler, works, release } = gated();
      scheduler.request('a', change(1));
      scheduler.request('a', change(2));
      scheduler.request('a', change(3));
      await release();
      await release();
      await scheduler.idle();
      expect(works).toEqual(['deltas 1', 'deltas 2,3']);
    });

    it('a full request absorbs the deltas queued before it, and deltas after a queued full run wait in it', async () => {
      const { scheduler, works, release } = gated();
      scheduler.request('a', change(1));
      scheduler.request('a', change(2));
      scheduler.request('a');
      scheduler.request('a', change(3));
      await release();
      await release();
      await scheduler.idle();
      expect(works).toEqual(['deltas 1', 'full']);
    });

    it('turns deltas that pile up beyond the bound into one full run', async () => {
      const { scheduler, works, release } = gated(5);
      scheduler.request('a', change(1));
      scheduler.request('a', change(3));
      scheduler.request('a', change(3));
      scheduler.request('a', change(1));
      await release();
      await release();
      await scheduler.idle();
      expect(works).toEqual(['deltas 1', 'full']);
    });
  });
});
