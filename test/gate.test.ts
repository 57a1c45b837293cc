import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { DEFAULT_TRIGGER_SETTINGS, scaleTriggerSettings } from '../src/alerting/triggers.js';
import { runGate } from '../src/monitor/gate.js';
import type { MonitorHooks } from '../src/monitor/monitor.js';
import { startTarget } from '../target/server.js';
import { PROBES } from '../probes/index.js';
import { headersProbe } from '../probes/headers/probe.js';
import { healthProbe } from '../probes/health/probe.js';
import { httpsRedirectProbe } from '../probes/redirect/probe.js';
import { referenceTarget } from './helpers/reference-target.js';
import { freePort } from './monitor-prometheus.js';
import { FAKE_PROBES, fakeHealthProbe, makePageProbe, startFakeTarget } from './monitor-fixtures.js';

const options = ProbeOptionsSchema.parse({ timeoutMs: 2000, healthTimeoutMs: 1500, retries: 0 });

/**
 * Counts failed health checks as the gate sees them; `breakHealth` runs after the 2nd good one, so
 * the failures start from a healthy streak. Records how many failures there were when a trigger first fired.
 */
function healthTimeline(breakHealth?: () => void) {
  let passes = 0;
  let failures = 0;
  let failuresWhenFired: number | undefined;
  const hooks: MonitorHooks = {
    onResults(_t, results) {
      for (const r of results) {
        if (r.id !== 'health.endpoint') continue;
        if (r.status === 'pass' && ++passes === 2) breakHealth?.();
        if (r.status === 'fail') failures += 1;
      }
    },
    onTriggers(_t, statuses) {
      if (failuresWhenFired === undefined && statuses.some((st) => st.state === 'firing')) failuresWhenFired = failures;
    },
  };
  return { hooks, failures: () => failures, failuresWhenFired: () => failuresWhenFired ?? Number.NaN };
}

const common = { options, budgets: BudgetsSchema.parse({}), redactor: createRedactor([]), triggerSettings: DEFAULT_TRIGGER_SETTINGS };
/** Windows of 3 s (÷100), so that a gate of a few seconds can judge every trigger. */
const shortWindows = scaleTriggerSettings(DEFAULT_TRIGGER_SETTINGS, 100);
/** For tests of the health trigger: the error rate can never decide (a 503 is also a failed request). */
const healthOnly = { ...DEFAULT_TRIGGER_SETTINGS, errorRate: { ...DEFAULT_TRIGGER_SETTINGS.errorRate, minRequests: 1_000_000 } };

describe('runGate', { timeout: 60_000 }, () => {
  it('passes a clean window as clean', async () => {
    const fake = await startFakeTarget();
    try {
      // One cycle of 31 requests is enough to judge the error rate; the window leaves a loaded machine time for it.
      const heartbeats: string[][] = [];
      const outcome = await runGate({
        ...common,
        triggerSettings: shortWindows,
        // A page probe's whole run shares one timeout: generous, so a loaded machine does not abort requests.
        // Health checks time out after 1 s: 3 consecutive failures fit in the 4 s window.
        options: { ...options, timeoutMs: 10_000, healthTimeoutMs: 1000 },
        targets: [fake.target],
        probes: [fakeHealthProbe, makePageProbe(10)],
        intervalMs: 100,
        forMs: 4000,
        heartbeatMs: 500,
        onHeartbeat: (_elapsed, statuses) => heartbeats.push([...statuses.values()].flat().map((st) => `${st.id} ${st.state}`)),
      });
      assert.equal(outcome.verdict, 'clean', JSON.stringify({ fired: outcome.fired, undecided: outcome.undecided }));
      assert.ok(heartbeats.length >= 5, `${heartbeats.length} heartbeats in 4 s`);
      assert.deepEqual(heartbeats.at(-1), ['rollback.error_rate ok', 'rollback.slow_responses ok', 'rollback.health_failures ok']);
      assert.equal(outcome.fired, undefined);
      // A Node timer runs on the event loop's cached millisecond clock, so it can fire a millisecond or
      // so early by performance.now(); a window really cut short ends seconds early.
      assert.ok(outcome.elapsedMs >= 3990, `the window was cut short at ${outcome.elapsedMs} ms`);
    } finally {
      await fake.close();
    }
  });

  it('fails on the 4th consecutive health failure, naming the trigger', async () => {
    const fake = await startFakeTarget();
    const health = healthTimeline(() => (fake.state.health = 503));
    try {
      const outcome = await runGate({
        ...common,
        triggerSettings: healthOnly,
        targets: [fake.target],
        probes: [fakeHealthProbe, makePageProbe(30)],
        intervalMs: 250,
        forMs: 20_000,
        hooks: health.hooks,
      });
      assert.equal(outcome.verdict, 'fired');
      assert.equal(outcome.fired?.status.id, 'rollback.health_failures');
      assert.equal(outcome.fired?.target, fake.baseUrl);
      assert.equal(outcome.fired?.status.evidence.consecutiveFailures, 4);
      assert.equal(health.failuresWhenFired(), 4, 'fired on the 4th failed health check, not before or after');
      assert.equal(health.failures(), 4, 'no further health cycle ran before the gate returned');
    } finally {
      await fake.close();
    }
  });

  it('fails when the target is down (connection refused)', async () => {
    const fake = await startFakeTarget();
    const target = buildTarget({ baseUrl: fake.baseUrl, publicApiPaths: [], routes: [] });
    await fake.close();
    const health = healthTimeline();
    const outcome = await runGate({
      ...common,
      targets: [target],
      probes: FAKE_PROBES,
      intervalMs: 100,
      forMs: 10_000,
      hooks: health.hooks,
    });
    assert.equal(outcome.verdict, 'fired');
    assert.ok(health.failuresWhenFired() <= 4, `fired only after ${health.failuresWhenFired()} failed health checks`);
  });

  it('reports inconclusive, not clean, when too few requests were made to judge the error rate', async () => {
    const fake = await startFakeTarget();
    try {
      const outcome = await runGate({
        ...common,
        triggerSettings: shortWindows,
        targets: [fake.target],
        // At most 15 requests in the 3 s window, fewer than the 20 the error rate needs.
        probes: [fakeHealthProbe],
        // 3 health checks of at most 1 s each fit in the window: only the error rate lacks data.
        options: { ...options, healthTimeoutMs: 1000 },
        intervalMs: 200,
        forMs: 3500,
      });
      assert.equal(outcome.verdict, 'inconclusive');
      assert.deepEqual(
        outcome.undecided.map((u) => u.status.id),
        ['rollback.error_rate'],
      );
      assert.match(outcome.undecided[0]?.status.message ?? '', /of the 20 user-path requests needed/);
    } finally {
      await fake.close();
    }
  });

  it('--for 1s cannot judge "p95 above 3 s for 5 minutes": inconclusive on slow responses, never clean', async () => {
    const fake = await startFakeTarget();
    try {
      const outcome = await runGate({
        ...common,
        targets: [fake.target],
        probes: [fakeHealthProbe, makePageProbe(30)],
        intervalMs: 100,
        forMs: 1000,
      });
      assert.equal(outcome.verdict, 'inconclusive');
      const slow = outcome.undecided.find((u) => u.status.id === 'rollback.slow_responses');
      assert.match(slow?.status.message ?? '', /cannot be judged within --for 1s: it needs 5m/);
      assert.deepEqual(
        outcome.tooShort?.map((w) => w.id),
        // 3 health checks that may each run to the 1.5 s health timeout do not fit in 1 s either.
        ['rollback.error_rate', 'rollback.slow_responses', 'rollback.health_failures'],
      );
    } finally {
      await fake.close();
    }
  });

  it('on the reference target, a refused plain-HTTP redirect port does not fire rollback.error_rate', async () => {
    const running = await startTarget({ quiet: true, bcryptCost: 4 });
    // A port nothing listens on: the plain-HTTP redirect probe's connection is refused every cycle.
    const refusedHttpUrl = `http://127.0.0.1:${await freePort()}`;
    try {
      const target = referenceTarget(running, { httpUrl: refusedHttpUrl });
      const outcome = await runGate({
        ...common,
        options: ProbeOptionsSchema.parse({ retries: 0 }),
        triggerSettings: scaleTriggerSettings(DEFAULT_TRIGGER_SETTINGS, 100),
        targets: [target],
        // The mix: page loads and health (user paths) beside the redirect probe, which fails
        // every cycle; counted together, one refused request in three or four fired the trigger.
        probes: [healthProbe, httpsRedirectProbe, headersProbe],
        intervalMs: 250,
        forMs: 4000,
      });
      const errorRate = outcome.finalStatuses.get(target.origin)?.find((st) => st.id === 'rollback.error_rate');
      assert.equal(outcome.fired, undefined, JSON.stringify(outcome.fired?.status));
      assert.equal(errorRate?.state, 'ok', JSON.stringify(errorRate));
      assert.equal(errorRate?.evidence.failures, 0);
      assert.ok(Number(errorRate?.evidence.failuresCountedApart) >= 1, 'the refused redirect probe was counted apart');
    } finally {
      await running.close();
    }
  });

  it('on the reference target with every probe: fires on the 4th consecutive health failure', async () => {
    const running = await startTarget({ quiet: true, bcryptCost: 4 });
    // 200 with status fail: a failed health check that is not a failed request (a 503 would also fire the error rate).
    const health = healthTimeline(() => running.setFaults({ health_dependency_down: true }, 'merge'));
    try {
      const target = referenceTarget(running);
      const outcome = await runGate({
        ...common,
        options: ProbeOptionsSchema.parse({ retries: 0 }),
        targets: [target],
        probes: PROBES,
        intervalMs: 1000,
        forMs: 60_000,
        hooks: health.hooks,
      });
      assert.equal(outcome.fired?.status.id, 'rollback.health_failures', JSON.stringify(outcome.fired));
      assert.equal(health.failuresWhenFired(), 4);
      assert.equal(health.failures(), 4);
    } finally {
      await running.close();
    }
  });
});

describe('runGate interrupted', { timeout: 30_000 }, () => {
  it('a window cut short by the signal is never clean, and the CLI says NO-GO', async () => {
    const fake = await startFakeTarget();
    try {
      const controller = new AbortController();
      let conclusive = false;
      const outcome = await runGate({
        ...common,
        targets: [fake.target],
        probes: FAKE_PROBES,
        intervalMs: 100,
        forMs: 20_000,
        signal: controller.signal,
        hooks: {
          // Interrupted at the first moment the window would otherwise count as clean.
          onTriggers(_t, statuses) {
            if (statuses.every((st) => st.state === 'ok')) {
              conclusive = true;
              controller.abort();
            }
          },
        },
      });
      assert.ok(conclusive, 'every trigger was ok when the gate was interrupted');
      assert.equal(outcome.interrupted, true);
      assert.notEqual(outcome.verdict, 'clean');
      const { describeOutcome } = await import('../src/cli/commands/gate.js');
      assert.match(describeOutcome(outcome, common.redactor, true), /^NO-GO \(interrupted\)/);
    } finally {
      await fake.close();
    }
  });
});
