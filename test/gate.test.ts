import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../src/alerting/triggers.js';
import { runGate } from '../src/monitor/gate.js';
import { startTarget } from '../target/server.js';
import { loadProbes } from '../src/monitor/probes.js';
import { FAKE_PROBES, fakeHealthProbe, makePageProbe, startFakeTarget } from './monitor-fixtures.js';

const options = ProbeOptionsSchema.parse({ timeoutMs: 2000, healthTimeoutMs: 1500, retries: 0 });
const common = { options, budgets: BudgetsSchema.parse({}), redactor: createRedactor([]), triggerSettings: DEFAULT_TRIGGER_SETTINGS };

describe('runGate', { timeout: 30_000 }, () => {
  it('passes a clean window as clean', async () => {
    const fake = await startFakeTarget();
    try {
      const outcome = await runGate({ ...common, targets: [fake.target], probes: FAKE_PROBES, intervalMs: 100, forMs: 1500 });
      assert.equal(outcome.verdict, 'clean');
      assert.equal(outcome.fired, undefined);
      assert.ok(outcome.elapsedMs >= 1500 && outcome.elapsedMs < 2500, `${outcome.elapsedMs}`);
    } finally {
      await fake.close();
    }
  });

  it('fails within one probe interval of the 4th consecutive health failure, naming the trigger', async () => {
    const fake = await startFakeTarget();
    const intervalMs = 250;
    const healthFailures: number[] = [];
    try {
      const gate = runGate({
        ...common,
        targets: [fake.target],
        // 30 good page requests per cycle keep one failing health request under the 5 % error rate.
        probes: [fakeHealthProbe, makePageProbe(30)],
        intervalMs,
        forMs: 20_000,
        hooks: {
          onResults(_t, results) {
            for (const r of results) if (r.id === 'health.endpoint' && r.status === 'fail') healthFailures.push(performance.now());
          },
        },
      });
      await sleep(600);
      fake.state.health = 503;
      const outcome = await gate;
      const firedAt = performance.now();
      assert.equal(outcome.verdict, 'fired');
      assert.equal(outcome.fired?.status.id, 'rollback.health_failures');
      assert.equal(outcome.fired?.target, fake.baseUrl);
      assert.equal(outcome.fired?.status.evidence.consecutiveFailures, 4);
      assert.equal(healthFailures.length, 4);
      const fourth = healthFailures[3] ?? 0;
      assert.ok(firedAt - fourth < intervalMs, `gate returned ${firedAt - fourth} ms after the 4th failure`);
    } finally {
      await fake.close();
    }
  });

  it('fails when the target is down (connection refused)', async () => {
    const fake = await startFakeTarget();
    const target = buildTarget({ baseUrl: fake.baseUrl, publicApiPaths: [], routes: [] });
    await fake.close();
    const outcome = await runGate({ ...common, targets: [target], probes: FAKE_PROBES, intervalMs: 100, forMs: 10_000 });
    assert.equal(outcome.verdict, 'fired');
    assert.ok(outcome.elapsedMs < 2000);
  });

  it('reports inconclusive, not clean, when too few requests were made to judge the error rate', async () => {
    const fake = await startFakeTarget();
    try {
      const outcome = await runGate({ ...common, targets: [fake.target], probes: [fakeHealthProbe], intervalMs: 200, forMs: 1000 });
      assert.equal(outcome.verdict, 'inconclusive');
      assert.deepEqual(
        outcome.undecided.map((u) => u.status.id),
        ['rollback.error_rate'],
      );
      assert.match(outcome.undecided[0]?.status.message ?? '', /of the 20 requests needed/);
    } finally {
      await fake.close();
    }
  });

  it('on the reference target with every probe: fires within one interval of the 4th consecutive health failure', async () => {
    const running = await startTarget({ quiet: true, bcryptCost: 4 });
    const intervalMs = 1000;
    const healthFailures: number[] = [];
    try {
      const target = buildTarget(
        {
          baseUrl: running.baseUrl,
          httpUrl: running.httpUrl,
          caFile: running.caFile,
          environment: 'staging',
          publicApiPaths: [],
          routes: [],
        },
        running.testUser,
      );
      const gate = runGate({
        ...common,
        options: ProbeOptionsSchema.parse({ retries: 0 }),
        targets: [target],
        probes: await loadProbes(),
        intervalMs,
        forMs: 60_000,
        hooks: {
          onResults(_t, results) {
            for (const r of results) if (r.id === 'health.endpoint' && r.status === 'fail') healthFailures.push(performance.now());
          },
        },
      });
      await sleep(2500);
      running.setFaults({ health_503: true }, 'merge');
      const outcome = await gate;
      const firedAt = performance.now();
      assert.equal(outcome.fired?.status.id, 'rollback.health_failures', JSON.stringify(outcome.fired));
      assert.equal(healthFailures.length, 4);
      assert.ok(firedAt - (healthFailures[3] ?? 0) < intervalMs, `returned ${firedAt - (healthFailures[3] ?? 0)} ms after the 4th failure`);
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
      setTimeout(() => controller.abort(), 1200);
      const outcome = await runGate({
        ...common,
        targets: [fake.target],
        probes: FAKE_PROBES,
        intervalMs: 100,
        forMs: 20_000,
        signal: controller.signal,
      });
      assert.equal(outcome.interrupted, true);
      assert.notEqual(outcome.verdict, 'clean');
      const { describeOutcome } = await import('../src/cli/commands/gate.js');
      assert.match(describeOutcome(outcome, common.redactor, true), /^NO-GO \(interrupted\)/);
    } finally {
      await fake.close();
    }
  });
});
