import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { startLoop } from './loop.js';

describe('startLoop', { timeout: 10_000 }, () => {
  it('never overlaps a job with itself, even when a run takes longer than the interval', async () => {
    let running = 0;
    let maxRunning = 0;
    const loop = startLoop({
      concurrency: 4,
      jitterRatio: 0,
      jobs: [
        {
          key: 'slow',
          intervalMs: 20,
          async run() {
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            await sleep(60);
            running -= 1;
          },
        },
      ],
    });
    await sleep(400);
    await loop.stop();
    const s = loop.stats().get('slow');
    assert.equal(maxRunning, 1);
    assert.ok(s !== undefined && s.runs >= 4, `runs ${s?.runs}`);
    assert.ok(s.overruns >= s.runs - 1);
  });

  it('keeps scheduling a job that throws, and other jobs are unaffected', async () => {
    let good = 0;
    const crashes: unknown[] = [];
    const loop = startLoop({
      concurrency: 2,
      jitterRatio: 0,
      onCrash: (_job, error) => crashes.push(error),
      jobs: [
        { key: 'bad', intervalMs: 20, run: () => Promise.reject(new Error('boom')) },
        { key: 'good', intervalMs: 20, run: async () => void (good += 1) },
      ],
    });
    await sleep(250);
    await loop.stop();
    assert.ok((loop.stats().get('bad')?.crashes ?? 0) >= 5);
    assert.ok(good >= 5);
    assert.ok(crashes.every((e) => e instanceof Error && e.message === 'boom'));
  });

  it('bounds concurrency across jobs', async () => {
    let running = 0;
    let maxRunning = 0;
    const jobs = Array.from({ length: 6 }, (_, i) => ({
      key: `job${i}`,
      intervalMs: 10,
      async run() {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await sleep(15);
        running -= 1;
      },
    }));
    const loop = startLoop({ concurrency: 2, jitterRatio: 0, jobs });
    await sleep(200);
    await loop.stop();
    assert.equal(maxRunning, 2);
  });

  it('stop() aborts the runs in flight and waits for them', async () => {
    let sawAbort = false;
    const loop = startLoop({
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
                resolve();
              }),
            ),
        },
      ],
    });
    await sleep(20);
    const started = performance.now();
    await loop.stop();
    assert.ok(sawAbort);
    assert.ok(performance.now() - started < 200);
  });

  it('applies jitter within ± the ratio of the interval', async () => {
    const starts: number[] = [];
    const values = [0.5, 0, 1, 0, 1, 0, 1, 0, 1];
    let i = 0;
    const loop = startLoop({
      concurrency: 1,
      jitterRatio: 0.5,
      random: () => values[i++ % values.length] ?? 0.5,
      jobs: [{ key: 'j', intervalMs: 40, run: async () => void starts.push(performance.now()) }],
    });
    await sleep(300);
    await loop.stop();
    const gaps = starts.slice(1).map((t, k) => t - (starts[k] ?? 0));
    assert.ok(
      gaps.some((g) => g < 35),
      `some short gaps: ${gaps.join(',')}`,
    );
    assert.ok(
      gaps.some((g) => g > 50),
      `some long gaps: ${gaps.join(',')}`,
    );
    // Lower bound only: a busy machine can delay timers, never fire them early.
    assert.ok(
      gaps.every((g) => g >= 15),
      gaps.join(','),
    );
  });
});
