import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestWindow, type RequestObservation } from './window.js';

const ok = (durationSeconds: number): RequestObservation => ({ durationSeconds, outcome: 'success', purpose: 'user' });

describe('RequestWindow', () => {
  it('gives back each request as recorded, between two instants like a PromQL range (from excluded, to included)', () => {
    const window = new RequestWindow(60_000);
    window.push(1_000, ok(0.5));
    window.push(2_000, { durationSeconds: 3.25, outcome: 'failure', purpose: 'hostile' });
    window.push(3_000, { durationSeconds: 0.1, outcome: 'success', purpose: 'self' });
    assert.deepEqual(window.between(1_000, 3_000), [
      { durationSeconds: 3.25, outcome: 'failure', purpose: 'hostile' },
      { durationSeconds: 0.1, outcome: 'success', purpose: 'self' },
    ]);
  });

  it('forgets requests older than the window it keeps, and keeps the rest in order as it grows', () => {
    const window = new RequestWindow(10_000);
    for (let i = 0; i < 1_000; i += 1) window.push(i * 100, ok(i));
    const kept = window.between(-1, 99_900);
    assert.equal(window.size, 100);
    assert.deepEqual(
      kept.map((r) => r.durationSeconds),
      Array.from({ length: 100 }, (_, i) => 900 + i),
    );
  });

  it('holds at most maxItems, dropping the oldest first', () => {
    const window = new RequestWindow(1e12, 100);
    for (let i = 0; i < 250; i += 1) window.push(i, ok(i));
    assert.equal(window.size, 100);
    const kept = window.between(-1, 1_000).map((r) => r.durationSeconds);
    assert.equal(kept[0], 150);
    assert.equal(kept.at(-1), 249);
  });
});
