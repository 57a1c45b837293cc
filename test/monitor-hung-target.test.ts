/**
 * Issue 16 item 12: a hung target (SIGSTOP) gave 2 health samples in 20 s, because health waited for
 * the rest of a cycle that waited for the target. Health has its own cadence and deadline now.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { DEFAULT_TRIGGER_SETTINGS } from '../src/alerting/triggers.js';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { startMonitor } from '../src/monitor/monitor.js';
import { healthProbe } from '../probes/health/probe.js';
import { makePageProbe, startFakeTarget } from './monitor-fixtures.js';

describe('monitor against a target that stops answering', { timeout: 30_000 }, () => {
  it('keeps checking health every interval, so the 4th consecutive failure fires while the other probes hang', async () => {
    const fake = await startFakeTarget();
    const healthResults: { at: number; status: string }[] = [];
    let firedAt: number | undefined;
    const monitor = startMonitor({
      targets: [fake.target],
      // The page probe waits the full 10 s request timeout on a stopped target.
      probes: [healthProbe, makePageProbe(3)],
      options: ProbeOptionsSchema.parse({ timeoutMs: 10_000, healthTimeoutMs: 300 }),
      budgets: BudgetsSchema.parse({}),
      redactor: createRedactor([]),
      triggerSettings: DEFAULT_TRIGGER_SETTINGS,
      intervalMs: 250,
      jitterRatio: 0,
      hooks: {
        onResults(_t, results) {
          for (const r of results) if (r.id === 'health.endpoint') healthResults.push({ at: performance.now(), status: r.status });
        },
        onTriggers(_t, statuses) {
          if (firedAt === undefined && statuses.some((s) => s.id === 'rollback.health_failures' && s.state === 'firing'))
            firedAt = performance.now();
        },
      },
    });
    try {
      for (let waited = 0; !healthResults.some((r) => r.status === 'pass') && waited < 5000; waited += 50) await sleep(50);
      assert.ok(
        healthResults.some((r) => r.status === 'pass'),
        'health passed while the target answered',
      );
      const stoppedAt = performance.now();
      fake.state.stopped = true;
      for (let waited = 0; firedAt === undefined && waited < 8000; waited += 50) await sleep(50);
      const during = healthResults.filter((r) => r.at > stoppedAt);
      assert.ok(firedAt !== undefined, `rollback.health_failures did not fire; health results while stopped: ${JSON.stringify(during)}`);
      // Each health check gives up after its own deadline (about 0.3 s, once retried): 4 failures well
      // within the 10 s the page probe is still waiting for.
      assert.ok(firedAt - stoppedAt < 9000, `fired ${Math.round(firedAt - stoppedAt)} ms after the target stopped`);
      assert.ok(during.filter((r) => r.status !== 'pass').length >= 4);
      const trigger = monitor
        .triggers()
        .get(fake.target.origin)
        ?.find((s) => s.id === 'rollback.health_failures');
      assert.equal(trigger?.state, 'firing');
    } finally {
      await monitor.stop();
      await fake.close();
    }
  });
});
