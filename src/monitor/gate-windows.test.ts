import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_TRIGGER_SETTINGS } from '../alerting/triggers.js';
import { requiredWatchMs, unfillableWindows } from './gate-windows.js';

const settings = { ...DEFAULT_TRIGGER_SETTINGS, healthFailures: { maxConsecutive: 3, recoveryMs: 0 } };
const options = { deadlineMs: 60_000, healthTimeoutMs: 2_000 };

test('health failures need as many health cycles as failures, a cycle lasting the health deadline when that exceeds the interval', () => {
  // A hung target: each check runs to its 2 s timeout, so 3 consecutive failures take 6 s, not 3 × 0.5 s.
  assert.equal(requiredWatchMs('rollback.health_failures', settings, { intervalMs: 500, options }), 6_000);
  assert.deepEqual(
    unfillableWindows(settings, 5_000, { intervalMs: 500, options })
      .map((w) => w.id)
      .filter((id) => id === 'rollback.health_failures'),
    ['rollback.health_failures'],
  );
  assert.match(unfillableWindows(settings, 5_000, { intervalMs: 500, options }).at(-1)?.message ?? '', /pass --for 6s or longer/);
});

test('an interval longer than the health timeout is the cycle; the probe deadline caps the health deadline', () => {
  assert.equal(requiredWatchMs('rollback.health_failures', settings, { intervalMs: 15_000, options }), 45_000);
  assert.equal(
    requiredWatchMs('rollback.health_failures', settings, { intervalMs: 500, options: { deadlineMs: 1_000, healthTimeoutMs: 2_000 } }),
    3_000,
  );
});
