import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startLoop, type LoopClock } from './loop.js';

/** Lets every promise chain that is ready run (the loop and p-limit hand work on through microtasks only). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A clock that moves only when the test says so: timers fire in order, each followed by the work it unblocks. */
class FakeClock implements LoopClock {
  private time = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { at: number; fn: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): number {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Resolves after `ms` of fake time, or at once when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const id = this.setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          this.clearTimeout(id);
          resolve();
        },
        { once: true },
      );
    });
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await settle();
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort(([a, x], [b, y]) => x.at - y.at || a - b)[0];
      if (due === undefined) break;
      const [id, timer] = due;
      this.timers.delete(id);
      this.time = timer.at;
      timer.fn();
      await settle();
    }
    this.time = end;
  }
}

describe('startLoop', () => {
  it('never overlaps a job with itself, even when a run takes longer than the interval', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    let running = 0;
    let maxRunning = 0;
    const loop = startLoop({
      clock,
      concurrency: 4,
      jitterRatio: 0,
      jobs: [
        {
          key: 'slow',
          intervalMs: 20,
          async run(signal) {
            starts.push(clock.now());
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            await clock.sleep(60, signal);
            running -= 1;
          },
        },
      ],
    });
    await clock.advance(400);
    await loop.stop();
    const stats = loop.stats().get('slow');
    assert.equal(maxRunning, 1);
    // Each run starts the moment the previous one finished: late, but never on top of it.
    assert.deepEqual(starts, [0, 60, 120, 180, 240, 300, 360]);
    assert.ok(stats);
    assert.equal(stats.runs, starts.length);
    assert.equal(stats.overruns, stats.runs, 'every run took longer than the interval');
  });

  it('an own-lane job keeps its cadence while every shared slot is taken by a hung job', async () => {
    const clock = new FakeClock();
    let health = 0;
    const loop = startLoop({
      clock,
      concurrency: 1,
      jitterRatio: 0,
      jobs: [
        { key: 'hung', intervalMs: 20, run: (signal) => clock.sleep(10_000, signal) },
        { key: 'blocked', intervalMs: 20, run: async () => undefined },
        { key: 'health', intervalMs: 20, ownLane: true, run: async () => void (health += 1) },
      ],
    });
    await clock.advance(200);
    await loop.stop();
    assert.equal(health, 11, 'health ran at 0, 20, …, 200 ms');
    assert.equal(loop.stats().get('blocked')?.runs, 0, 'the shared slot stayed taken');
  });

  it('keeps scheduling a job that throws, and other jobs are unaffected', async () => {
    const clock = new FakeClock();
    let good = 0;
    const crashes: unknown[] = [];
    const loop = startLoop({
      clock,
      concurrency: 2,
      jitterRatio: 0,
      onCrash: (_job, error) => crashes.push(error),
      jobs: [
        { key: 'bad', intervalMs: 20, run: () => Promise.reject(new Error('boom')) },
        { key: 'good', intervalMs: 20, run: async () => void (good += 1) },
      ],
    });
    await clock.advance(250);
    await loop.stop();
    // Runs at 0, 20, …, 240 ms: 13 for each job.
    assert.equal(loop.stats().get('bad')?.runs, 13);
    assert.equal(loop.stats().get('bad')?.crashes, 13);
    assert.equal(good, 13);
    assert.equal(loop.stats().get('good')?.crashes, 0);
    assert.equal(crashes.length, 13);
    assert.ok(crashes.every((e) => e instanceof Error && e.message === 'boom'));
  });

  it('a crash reporter that throws does not stop the schedule', async () => {
    const clock = new FakeClock();
    const loop = startLoop({
      clock,
      concurrency: 1,
      jitterRatio: 0,
      onCrash: () => {
        throw new Error('reporter down');
      },
      jobs: [{ key: 'bad', intervalMs: 20, run: () => Promise.reject(new Error('boom')) }],
    });
    await clock.advance(100);
    await loop.stop();
    assert.equal(loop.stats().get('bad')?.runs, 6);
  });

  it('bounds concurrency across jobs, and every job still gets its turn', async () => {
    const clock = new FakeClock();
    let running = 0;
    let maxRunning = 0;
    const runsOf = new Map<string, number>();
    const jobs = Array.from({ length: 6 }, (_, i) => ({
      key: `job${i}`,
      intervalMs: 10,
      async run(signal: AbortSignal) {
        runsOf.set(`job${i}`, (runsOf.get(`job${i}`) ?? 0) + 1);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await clock.sleep(15, signal);
        running -= 1;
      },
    }));
    const loop = startLoop({ clock, concurrency: 2, jitterRatio: 0, jobs });
    await clock.advance(200);
    await loop.stop();
    assert.equal(maxRunning, 2);
    // 2 slots × 200 ms / 15 ms per run ≈ 26 runs, shared in turn: no job starves.
    for (const { key } of jobs) assert.ok((runsOf.get(key) ?? 0) >= 4, `${key} ran ${runsOf.get(key) ?? 0} times`);
  });

  it('stop() aborts the runs in flight, waits for them to finish, and schedules nothing after', async () => {
    const clock = new FakeClock();
    let sawAbort = false;
    let cleanedUp = false;
    const loop = startLoop({
      clock,
      concurrency: 1,
      jitterRatio: 0,
      jobs: [
        {
          key: 'hang',
          intervalMs: 1000,
          run: (signal) =>
            new Promise<void>((resolve) =>
              signal.addEventListener('abort', () => {
                sawAbort = true;
                // Cleanup that takes a while: stop() must wait for it.
                void clock.sleep(5).then(() => {
                  cleanedUp = true;
                  resolve();
                });
              }),
            ),
        },
      ],
    });
    await clock.advance(20);
    assert.equal(loop.stats().get('hang')?.running, true);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await settle();
    assert.ok(sawAbort, 'the run saw the abort');
    assert.equal(stopped, false, 'stop() returned before the run finished');
    await clock.advance(5);
    await stopping;
    assert.ok(cleanedUp);
    await clock.advance(5000);
    assert.equal(loop.stats().get('hang')?.runs, 1, 'no run after stop()');
  });

  it('applies jitter within ± the ratio of the interval, and spreads the first run', async () => {
    const clock = new FakeClock();
    const starts: number[] = [];
    // The first draw places the first run; then each draw sets the wait after a run: 0 → −50 %, 1 → +50 %.
    const draws = [0.5, 0, 1, 0, 1, 0.5];
    const loop = startLoop({
      clock,
      concurrency: 1,
      jitterRatio: 0.5,
      random: () => draws.shift() ?? 0.5,
      jobs: [{ key: 'j', intervalMs: 40, run: async () => void starts.push(clock.now()) }],
    });
    await clock.advance(250);
    await loop.stop();
    assert.equal(starts[0], 10, 'first run at 0.5 × 0.5 × 40 ms');
    const gaps = starts.slice(1).map((t, k) => t - (starts[k] ?? 0));
    assert.deepEqual(gaps.slice(0, 5), [20, 60, 20, 60, 40]);
  });
});
