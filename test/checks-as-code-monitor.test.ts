/** The monitor runs the config's HTTP assertion checks through the one probe set, and /metrics shows them like built-ins. */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { HttpChecksSchema } from '../src/custom/schema.js';
import { resolveCheckSettings } from '../src/custom/settings.js';
import { startMonitor, type Monitor } from '../src/monitor/monitor.js';
import { probeSet } from '../src/session/probe-set.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { referenceTarget } from './helpers/reference-target.js';

let running: RunningTarget;
let monitor: Monitor;

before(async () => {
  running = await startTarget({ quiet: true, faults: { health_dependency_down: true } });
});
after(async () => {
  await monitor?.stop();
  await running.close();
});

test(
  'vor_check_status carries the config’s custom.* checks (up and down); a switched-off check is a skip',
  { timeout: 30_000 },
  async () => {
    const checks = HttpChecksSchema.parse([
      { id: 'custom.health_json', request: { url: '/health' }, assertions: [{ type: 'status', equals: 200 }] },
      {
        id: 'custom.database_up',
        request: { url: '/health' },
        assertions: [{ type: 'jsonPath', path: '$.checks.database.status', equals: 'ok' }],
      },
    ]);
    const { settings } = resolveCheckSettings([{ http: checks, overrides: { 'headers.permissions_policy': 'off' }, at: 'vor.yml: ' }], {});
    const target = { ...referenceTarget(running), checkSettings: settings };
    const redactor = createRedactor([]);
    const probes = probeSet({ config: {}, redactor, targets: [target] }).filter((p) =>
      p.checks.some((id) => id.startsWith('custom.') || id === 'headers.permissions_policy'),
    );
    monitor = startMonitor({
      targets: [target],
      probes,
      options: ProbeOptionsSchema.parse({ timeoutMs: 3_000, retries: 0 }),
      budgets: BudgetsSchema.parse({}),
      redactor,
      intervalMs: 500,
      jitterRatio: 0,
    });
    const series = (check: string) => new RegExp(`^vor_check_status\\{[^}]*check="${check.replace('.', '\\.')}"[^}]*\\} (\\d)`, 'm');
    const switchedOff = /vor_check_result\{[^}]*check="headers\.permissions_policy"[^}]*status="skip"[^}]*\} 1/;
    // The three checks come from different probes, which finish in any order: wait for all of them.
    const allSeen = (text: string) =>
      series('custom.health_json').test(text) && series('custom.database_up').test(text) && switchedOff.test(text);
    let text = '';
    for (let i = 0; i < 100 && !allSeen(text); i += 1) {
      await sleep(100);
      text = await monitor.metrics.registry.metrics();
    }
    assert.equal(series('custom.health_json').exec(text)?.[1], '1', 'the passing custom check is up');
    assert.equal(series('custom.database_up').exec(text)?.[1], '0', 'the failing custom check is down');
    assert.match(text, switchedOff, 'switched off: skip');
    assert.match(text, /vor_probe_requests_total\{[^}]*check="custom\.health_json"[^}]*purpose="user"/);
  },
);
