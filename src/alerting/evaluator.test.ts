import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TriggerEvaluator, type TriggerStatus } from './evaluator.js';
import { DEFAULT_TRIGGER_SETTINGS, scaleTriggerSettings } from './triggers.js';

const S = 1000;
const M = 60 * S;
const stateOf = (statuses: TriggerStatus[], id: TriggerStatus['id']): TriggerStatus => {
  const found = statuses.find((s) => s.id === id);
  assert.ok(found, id);
  return found;
};

function withClock() {
  let now = 1_700_000_000_000;
  const ev = new TriggerEvaluator(DEFAULT_TRIGGER_SETTINGS, () => now);
  return { ev, advance: (ms: number) => (now += ms), now: () => now };
}

/** n requests spread evenly over the next `spanMs`, `failures` of them failed. */
function feed(t: ReturnType<typeof withClock>, n: number, failures: number, spanMs: number, durationSeconds = 0.1): void {
  for (let i = 0; i < n; i += 1) {
    t.advance(spanMs / n);
    t.ev.recordRequest({ purpose: 'user', durationSeconds, outcome: i < failures ? 'failure' : 'success' });
  }
}

describe('rollback.error_rate', () => {
  it('counts only user-path requests: failing hostile requests and self-checks are shown apart, never judged', () => {
    const t = withClock();
    feed(t, 40, 0, M);
    for (let i = 0; i < 20; i += 1) t.ev.recordRequest({ purpose: 'hostile', durationSeconds: 5, outcome: 'failure' });
    for (let i = 0; i < 5; i += 1) t.ev.recordRequest({ purpose: 'self', durationSeconds: 0.1, outcome: 'failure' });
    const statuses = t.ev.evaluate();
    const errorRate = stateOf(statuses, 'rollback.error_rate');
    assert.equal(errorRate.state, 'ok');
    assert.equal(errorRate.evidence.requests, 40);
    assert.equal(errorRate.evidence.failuresCountedApart, 25);
    assert.equal(stateOf(statuses, 'rollback.slow_responses').evidence.slowRequests, 0);
  });

  it('does not fire at 4.9 % and fires at 5.1 % over the 5-minute window', () => {
    const low = withClock();
    feed(low, 1000, 49, 5 * M);
    assert.equal(stateOf(low.ev.evaluate(), 'rollback.error_rate').state, 'ok');
    const high = withClock();
    feed(high, 1000, 51, 5 * M);
    const fired = stateOf(high.ev.evaluate(), 'rollback.error_rate');
    assert.equal(fired.state, 'firing');
    assert.equal(fired.evidence.failures, 51);
    assert.equal(fired.evidence.requests, 1000);
  });

  it('is insufficient data, never ok or firing, below 20 requests — even when all of them failed', () => {
    const t = withClock();
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.error_rate').state, 'insufficient_data');
    feed(t, 19, 19, M);
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.error_rate').state, 'insufficient_data');
    feed(t, 1, 1, S);
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.error_rate').state, 'firing');
  });

  it('forgets requests older than the window', () => {
    const t = withClock();
    feed(t, 100, 100, M);
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.error_rate').state, 'firing');
    t.advance(5 * M);
    feed(t, 100, 0, M);
    // Good and conclusive now, but recovery needs 2 minutes of good evaluations.
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.error_rate').state, 'firing');
    t.advance(2 * M - S);
    feed(t, 10, 0, S);
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.error_rate').state, 'ok');
  });

  it('does not clear a fired trigger when data goes missing', () => {
    const t = withClock();
    feed(t, 40, 40, M);
    t.ev.evaluate();
    t.advance(10 * M);
    const s = stateOf(t.ev.evaluate(), 'rollback.error_rate');
    assert.equal(s.state, 'firing');
  });
});

describe('rollback.slow_responses', () => {
  it('is pending at 4m59s of sustained slowness and fires at 5m', () => {
    const t = withClock();
    t.ev.recordRequest({ purpose: 'user', durationSeconds: 3.5, outcome: 'success' });
    const start = t.now();
    let last = t.ev.evaluate();
    assert.equal(stateOf(last, 'rollback.slow_responses').state, 'pending');
    while (t.now() - start < 4 * M + 59 * S) {
      t.advance(S);
      t.ev.recordRequest({ purpose: 'user', durationSeconds: 3.5, outcome: 'success' });
      last = t.ev.evaluate();
    }
    assert.equal(stateOf(last, 'rollback.slow_responses').state, 'pending');
    t.advance(S);
    t.ev.recordRequest({ purpose: 'user', durationSeconds: 3.5, outcome: 'success' });
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.slow_responses').state, 'firing');
  });

  it('restarts the 5 minutes when p95 drops back under 3 s', () => {
    const t = withClock();
    for (let i = 0; i < 240; i += 1) {
      t.advance(S);
      t.ev.recordRequest({ purpose: 'user', durationSeconds: 4, outcome: 'success' });
      t.ev.evaluate();
    }
    t.advance(61 * S);
    for (let i = 0; i < 100; i += 1) t.ev.recordRequest({ purpose: 'user', durationSeconds: 0.2, outcome: 'success' });
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.slow_responses').state, 'ok');
    for (let i = 0; i < 120; i += 1) {
      t.advance(S);
      t.ev.recordRequest({ purpose: 'user', durationSeconds: 4, outcome: 'success' });
      t.ev.evaluate();
    }
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.slow_responses').state, 'pending');
  });

  it('counts a 5 % share of slow requests as within threshold and 6 % as above', () => {
    const t = withClock();
    for (let i = 0; i < 100; i += 1) t.ev.recordRequest({ purpose: 'user', durationSeconds: i < 5 ? 4 : 0.1, outcome: 'success' });
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.slow_responses').state, 'ok');
    t.ev.recordRequest({ purpose: 'user', durationSeconds: 4, outcome: 'success' });
    t.ev.recordRequest({ purpose: 'user', durationSeconds: 4, outcome: 'success' });
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.slow_responses').state, 'pending');
  });

  it('is insufficient data with no requests in the last minute', () => {
    const t = withClock();
    t.ev.recordRequest({ purpose: 'user', durationSeconds: 5, outcome: 'success' });
    t.advance(M);
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.slow_responses').state, 'insufficient_data');
  });
});

describe('rollback.health_failures', () => {
  it('fires on the 4th consecutive failure, not the 3rd; one success resets and clears', () => {
    const t = withClock();
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.health_failures').state, 'insufficient_data');
    for (let i = 0; i < 3; i += 1) t.ev.recordHealth('fail');
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.health_failures').state, 'ok');
    t.ev.recordHealth('error');
    const fired = stateOf(t.ev.evaluate(), 'rollback.health_failures');
    assert.equal(fired.state, 'firing');
    assert.equal(fired.evidence.consecutiveFailures, 4);
    t.ev.recordHealth('pass');
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.health_failures').state, 'ok');
    assert.equal(t.ev.consecutiveHealthFailures, 0);
  });

  it('lets skipped health results neither count nor reset', () => {
    const t = withClock();
    t.ev.recordHealth('skip');
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.health_failures').state, 'insufficient_data');
    for (const s of ['fail', 'fail', 'skip', 'fail', 'fail'] as const) t.ev.recordHealth(s);
    assert.equal(stateOf(t.ev.evaluate(), 'rollback.health_failures').state, 'firing');
  });
});

describe('scaleTriggerSettings', () => {
  it('shrinks windows and keeps thresholds', () => {
    const s = scaleTriggerSettings(DEFAULT_TRIGGER_SETTINGS, 60);
    assert.equal(s.errorRate.windowMs, 5 * S);
    assert.equal(s.slowResponses.sustainMs, 5 * S);
    assert.equal(s.errorRate.maxRatio, 0.05);
    assert.equal(s.healthFailures.maxConsecutive, 3);
  });
});
