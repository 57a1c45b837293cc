/**
 * Issue 15 item 4: the service's own traffic in the rollback decision. Real Prometheus scrapes the
 * reference target's own /metrics (OpenTelemetry http_server_request_duration_seconds); the gate
 * reads the error ratio and latency from it with the default queries. Synthetic probes red while
 * traffic is green fires (health); traffic red while the probes are green fires too (error rate,
 * from the api_errors fault). Windows are configured short (10 s error window) so this takes seconds.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { TrafficSignal } from '../src/alerting/traffic.js';
import { trafficQueries } from '../src/alerting/traffic-config.js';
import { queryValue } from '../src/alerting/prometheus-query.js';
import { DEFAULT_TRIGGER_SETTINGS, type TriggerSettings } from '../src/alerting/triggers.js';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import type { Target } from '../src/core/target.js';
import { runGate } from '../src/monitor/gate.js';
import { withConfiguredWindows } from '../src/monitor/traffic-setup.js';
import { staticProbe } from '../probes/static/probe.js';
import { healthProbe } from '../probes/health/probe.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { referenceTarget } from './helpers/reference-target.js';
import { request } from './helpers/target.js';
import { startPrometheus, type RunningPrometheus } from './monitor-prometheus.js';
import { PROMETHEUS, skipMessage } from './monitor-promtool.js';

const settings: TriggerSettings = withConfiguredWindows(DEFAULT_TRIGGER_SETTINGS, {
  errorRate: { windowMs: 10_000, recoveryMs: 0 },
  slowResponses: { windowMs: 5_000, sustainMs: 5_000 },
});

describe('gate with the service traffic from a real Prometheus', { timeout: 120_000, skip: skipMessage(PROMETHEUS) }, () => {
  let running: RunningTarget;
  let prometheus: RunningPrometheus;
  let target: Target;
  let driving = true;
  let driver: Promise<void>;

  const traffic = (): TrafficSignal =>
    new TrafficSignal(settings, { url: prometheus.url, queries: trafficQueries(undefined), selector: 'job="vor-target"', timeoutMs: 3000 });
  const gate = (signal: TrafficSignal) =>
    runGate({
      targets: [target],
      // Page, asset and health probes (user paths, no API reads): green unless health breaks.
      probes: [healthProbe, staticProbe],
      options: ProbeOptionsSchema.parse({ retries: 0 }),
      budgets: BudgetsSchema.parse({}),
      redactor: createRedactor([]),
      triggerSettings: settings,
      traffic: signal,
      intervalMs: 1000,
      forMs: 30_000,
    });

  before(async () => {
    running = await startTarget({ quiet: true, bcryptCost: 4 });
    target = referenceTarget(running);
    prometheus = await startPrometheus({
      scrapeTarget: new URL(running.baseUrl).host,
      rules: 'groups: []\n',
      job: 'vor-target',
      https: { caFile: running.caFile },
    });
    // Users reading the API, about 20 requests a second, all through the test.
    driver = (async () => {
      while (driving) {
        await Promise.all(
          Array.from({ length: 4 }, () => request(`${running.baseUrl}/api/accounts`, { ca: running.caPem }).catch(() => undefined)),
        );
        await sleep(200);
      }
    })();
    // Until Prometheus has enough of the traffic to judge (the 10 s window needs 20 requests).
    const requests = trafficQueries(undefined).requests.replaceAll('{$selector}', '{job="vor-target"}').replaceAll('$window', '10s');
    for (
      let waited = 0;
      ((await queryValue(prometheus.url, requests, { timeoutMs: 2000, combine: 'sum' }).catch(() => null)) ?? 0) < 40;
      waited += 250
    ) {
      assert.ok(waited < 30_000, `Prometheus saw no traffic from the target:\n${prometheus.log()}`);
      await sleep(250);
    }
  });

  after(async () => {
    driving = false;
    await driver;
    await prometheus?.close();
    await running?.close();
  });

  it('probes red, traffic green: the health trigger fires, and the traffic was conclusively fine', async () => {
    running.setFaults({ health_dependency_down: true });
    try {
      const outcome = await gate(traffic());
      assert.equal(outcome.fired?.status.id, 'rollback.health_failures', JSON.stringify(outcome.fired ?? outcome.undecided));
      const errorRate = outcome.finalStatuses.get(target.origin)?.find((s) => s.id === 'rollback.error_rate');
      assert.equal(errorRate?.evidence['traffic.state'], 'ok', JSON.stringify(errorRate));
      assert.equal(errorRate?.evidence['traffic.failures'], 0);
    } finally {
      running.setFaults({});
    }
  });

  it('traffic red, probes green: rollback.error_rate fires from the service traffic (api_errors)', async () => {
    running.setFaults({ api_errors: true });
    try {
      const outcome = await gate(traffic());
      assert.equal(outcome.fired?.status.id, 'rollback.error_rate', JSON.stringify(outcome.fired ?? outcome.undecided));
      const { evidence, message } = outcome.fired.status;
      assert.equal(evidence.decidedBy, 'traffic', JSON.stringify(outcome.fired.status));
      assert.equal(evidence.failures, 0, 'no synthetic probe request failed');
      assert.ok(Number(evidence['traffic.ratio']) > 0.05, message);
      assert.match(
        message,
        /^synthetic probes: 0 of \d+ user-path requests failed .*; service traffic: [\d.]+ of [\d.]+ requests served failed/,
      );
      const health = outcome.finalStatuses.get(target.origin)?.find((s) => s.id === 'rollback.health_failures');
      assert.notEqual(health?.state, 'firing');
    } finally {
      running.setFaults({});
    }
  });
});
