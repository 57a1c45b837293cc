import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { ProbeOptionsSchema, BudgetsSchema } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { startMonitor, type Monitor } from '../src/monitor/monitor.js';
import { serveMonitor, type MetricsServer } from '../src/monitor/server.js';
import { DEFAULT_TRIGGER_SETTINGS } from '../src/alerting/triggers.js';
import { FAKE_PROBES, startFakeTarget, type FakeTarget } from './monitor-fixtures.js';
import { PROMTOOL, runTool, skipMessage } from './monitor-promtool.js';

const CONTRACT_METRICS = [
  'vor_check_status',
  'vor_probe_requests_total',
  'vor_probe_request_duration_seconds',
  'vor_health_consecutive_failures',
  'vor_tls_certificate_expiry_timestamp_seconds',
  'vor_rollback_trigger_active',
  'vor_check_runs_total',
];
/** Beside the contract's (README, "Deploying"): a skip told from a pass, when a check last ran, which build. */
const ADDED_METRICS = ['vor_check_result', 'vor_check_last_run_timestamp_seconds', 'vor_build_info'];
// Generous timeouts: the healthy target must pass even on a busy CI machine.
const options = ProbeOptionsSchema.parse({ timeoutMs: 3000, healthTimeoutMs: 1000, retries: 0 });
const budgets = BudgetsSchema.parse({});

describe('monitor /metrics and /healthz', { timeout: 45_000 }, () => {
  let fake: FakeTarget;
  let hanging: FakeTarget;
  let monitor: Monitor;
  let server: MetricsServer;

  before(async () => {
    fake = await startFakeTarget();
    hanging = await startFakeTarget({ hang: true });
    monitor = startMonitor({
      targets: [fake.target, hanging.target],
      probes: FAKE_PROBES,
      options,
      budgets,
      redactor: createRedactor([]),
      intervalMs: 200,
      triggerSettings: DEFAULT_TRIGGER_SETTINGS,
    });
    server = await serveMonitor(monitor, '127.0.0.1', 0);
    // Until the hanging target has failed health 4 times (4 timeouts) and both were probed.
    const deadline = Date.now() + 20_000;
    while (
      monitor
        .triggers()
        .get(hanging.baseUrl)
        ?.find((t) => t.id === 'rollback.health_failures')?.state !== 'firing'
    ) {
      if (Date.now() > deadline) throw new Error('the hanging target never reached 4 consecutive health failures');
      await sleep(100);
    }
  });
  after(async () => {
    await monitor.stop();
    await server.close();
    await fake.close();
    await hanging.close();
  });

  it('exposes exactly the contract metrics, the documented additions and process metrics, valid for promtool', async (t) => {
    const response = await fetch(`${server.url}/metrics`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    const body = await response.text();
    const families = new Set([...body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
    const own = [...families].filter((name) => name !== undefined && !/^(process_|nodejs_)/.test(name));
    assert.deepEqual(own.sort(), [...CONTRACT_METRICS, ...ADDED_METRICS].sort());
    assert.ok(families.has('process_resident_memory_bytes'));
    assert.match(
      body,
      /vor_probe_request_duration_seconds_bucket\{le="3",target="http:\/\/127\.0\.0\.1:\d+",check="health\.endpoint",purpose="user"\}/,
    );
    assert.match(body, new RegExp(`vor_check_status\\{target="${fake.baseUrl}",check="health.endpoint"\\} 1`));
    assert.match(body, new RegExp(`vor_check_status\\{target="${hanging.baseUrl}",check="health.endpoint"\\} 0`));
    const skipped = skipMessage(PROMTOOL);
    if (skipped) return t.skip(skipped);
    const check = await runTool(PROMTOOL, ['check', 'metrics'], body);
    assert.equal(check.code, 0, `promtool check metrics: ${check.stdout}${check.stderr}`);
  });

  it('keeps probing a hanging target: its health failures are counted and the trigger fires', async () => {
    const body = await (await fetch(`${server.url}/metrics`)).text();
    const streak = new RegExp(`vor_health_consecutive_failures\\{target="${hanging.baseUrl}"\\} (\\d+)`).exec(body);
    assert.ok(streak !== null && Number(streak[1]) >= 4, `streak ${streak?.[1]}`);
    assert.match(body, new RegExp(`vor_rollback_trigger_active\\{target="${hanging.baseUrl}",trigger="rollback.health_failures"\\} 1`));
    assert.match(body, new RegExp(`vor_rollback_trigger_active\\{target="${fake.baseUrl}",trigger="rollback.health_failures"\\} 0`));
    assert.match(
      body,
      new RegExp(
        `vor_probe_requests_total\\{target="${hanging.baseUrl}",check="health.endpoint",outcome="failure",purpose="user"\\} [1-9]`,
      ),
    );
  });

  it('serves /healthz with each target\u2019s trigger states', async () => {
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; triggers: Record<string, Record<string, string>> };
    assert.equal(body.status, 'ok');
    assert.equal(body.triggers[hanging.baseUrl]?.['rollback.health_failures'], 'firing');
    assert.equal(body.triggers[fake.baseUrl]?.['rollback.health_failures'], 'ok');
  });

  it('runs cycles on schedule without losing any, for the healthy and the hanging target', () => {
    for (const [key, s] of monitor.stats()) {
      assert.equal(s.crashes, 0, key);
      assert.ok(s.runs >= 3, `${key}: ${s.runs} runs`);
    }
  });
});
