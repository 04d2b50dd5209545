import { HeartbeatMonitor } from './heartbeat-monitor';

describe('HeartbeatMonitor', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  function monitor(): { m: HeartbeatMonitor; beats: () => number; deaths: number[] } {
    let beats = 0;
    const deaths: number[] = [];
    const m = new HeartbeatMonitor({ intervalMs: 1000, beat: () => (beats += 1), dead: (silent) => deaths.push(silent) });
    return { m, beats: () => beats, deaths };
  }

  it('beats every interval and declares a silent peer dead after two intervals plus a second', () => {
    const { m, beats, deaths } = monitor();
    m.start();
    jest.advanceTimersByTime(2500);
    expect(beats()).toBe(2);
    expect(deaths).toEqual([]);
    jest.advanceTimersByTime(1000);
    expect(deaths).toHaveLength(1);
    expect(deaths[0]).toBeGreaterThan(3000);
    jest.advanceTimersByTime(10_000);
    expect(deaths).toHaveLength(1);
  });

  it('keeps a peer alive while it is heard from', () => {
    const { m, deaths } = monitor();
    m.start();
    for (let i = 0; i < 20; i++) {
      jest.advanceTimersByTime(2000);
      m.heard();
    }
    expect(deaths).toEqual([]);
    m.stop();
    jest.advanceTimersByTime(60_000);
    expect(deaths).toEqual([]);
  });

  it('refuses a non-positive interval', () => {
    expect(() => new HeartbeatMonitor({ intervalMs: 0, beat: () => undefined, dead: () => undefined })).toThrow(RangeError);
  });
});
