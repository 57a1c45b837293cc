import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { deadline } from './deadline.js';

describe('deadline', () => {
  it('aborts with a TimeoutError after its time', async () => {
    const d = deadline(20);
    await new Promise((resolve) => d.signal.addEventListener('abort', resolve, { once: true }));
    assert.equal((d.signal.reason as DOMException).name, 'TimeoutError');
    d.dispose();
  });

  it("aborts with the outer signal's reason, at once when that is already aborted", () => {
    const outer = new AbortController();
    const d = deadline(60_000, outer.signal);
    outer.abort(new Error('shutting down'));
    assert.equal(d.signal.aborted, true);
    assert.equal((d.signal.reason as Error).message, 'shutting down');
    d.dispose();
    const late = deadline(60_000, outer.signal);
    assert.equal(late.signal.aborted, true);
    late.dispose();
  });

  it('leaves nothing on a long-lived outer signal once disposed, however many it made', () => {
    const outer = new AbortController();
    for (let i = 0; i < 10_000; i += 1) deadline(60_000, outer.signal).dispose();
    assert.equal(getEventListeners(outer.signal, 'abort').length, 0);
    // AbortSignal.any() would have left 10,000 entries in the signal's own dependant set.
    const held = Object.getOwnPropertySymbols(outer.signal)
      .map((symbol) => (outer.signal as unknown as Record<symbol, unknown>)[symbol])
      .filter((value): value is Set<unknown> => value instanceof Set);
    assert.ok(
      held.every((set) => set.size === 0),
      `sets on the signal: ${held.map((s) => s.size).join(', ')}`,
    );
  });
});
