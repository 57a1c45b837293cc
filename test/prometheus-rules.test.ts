import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { renderPrometheusRule, renderRules } from '../src/alerting/rules.js';
import { CONTRACT_METRIC_NAMES } from '../src/metrics/registry.js';
import { DEFAULT_TRIGGER_SETTINGS, scaleTriggerSettings, TRIGGERS } from '../src/alerting/triggers.js';
import { PROMTOOL, runTool, skipMessage } from './monitor-promtool.js';

const RULES = fileURLToPath(new URL('../deploy/prometheus/vor-watch.rules.yml', import.meta.url));
const RULE_TESTS = ['vor-watch.rules.test.yml', 'vor-watch.locations.rules.test.yml'].map((f) =>
  fileURLToPath(new URL(`../deploy/prometheus/${f}`, import.meta.url)),
);

describe('Prometheus rule file', { timeout: 150_000 }, () => {
  it('is exactly what the generator renders from TRIGGERS (run `npm run gen:rules` after changing them)', () => {
    assert.equal(readFileSync(RULES, 'utf8'), renderRules(DEFAULT_TRIGGER_SETTINGS, { job: 'vor-watch' }));
    assert.equal(
      readFileSync(new URL('../deploy/k8s/prometheusrule.yaml', import.meta.url), 'utf8'),
      renderPrometheusRule(DEFAULT_TRIGGER_SETTINGS, { job: 'vor-watch', namespace: 'vor-watch' }),
    );
  });

  it('has one alert per trigger, labelled with the trigger id', () => {
    const text = readFileSync(RULES, 'utf8');
    for (const t of TRIGGERS) assert.match(text, new RegExp(`alert: ${t.alert}[\\s\\S]*?trigger: ${t.id.replace('.', '\\.')}`));
  });

  it('passes promtool check rules, also when time-scaled for tests', async (t) => {
    const skipped = skipMessage(PROMTOOL);
    if (skipped) return t.skip(skipped);
    const shipped = await runTool(PROMTOOL, ['check', 'rules', RULES]);
    assert.equal(shipped.code, 0, shipped.stdout + shipped.stderr);
    const scaled = renderRules(scaleTriggerSettings(DEFAULT_TRIGGER_SETTINGS, 60), { job: 'vor-watch' });
    const dir = mkdtempSync(path.join(tmpdir(), 'vor-rules-'));
    try {
      writeFileSync(path.join(dir, 'scaled.rules.yml'), scaled);
      const result = await runTool(PROMTOOL, ['check', 'rules', path.join(dir, 'scaled.rules.yml')]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.match(scaled, /increase\(vor_probe_requests_total\{purpose="user"\}\[5s\]\)/);
  });

  it('passes the promtool unit tests at the boundaries (4.9 % vs 5.1 %, 3 vs 4 failures, 4m59s vs 5m, no data, quorum, certificates)', async (t) => {
    const skipped = skipMessage(PROMTOOL);
    if (skipped) return t.skip(skipped);
    // The 1-second evaluation interval of the boundary tests makes promtool take ~15 s on an idle machine.
    const result = await runTool(PROMTOOL, ['test', 'rules', ...RULE_TESTS], undefined, 110_000);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout + result.stderr, /SUCCESS/);
  });
});

describe('deploy kit', { timeout: 60_000 }, () => {
  const dashboard = JSON.parse(readFileSync(new URL('../deploy/grafana/vor-watch.dashboard.json', import.meta.url), 'utf8')) as {
    panels: { title: string; targets?: { expr: string }[] }[];
    annotations: { list: { expr?: string }[] };
  };
  const exprs = [
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
    ...dashboard.annotations.list.flatMap((a) => (a.expr === undefined ? [] : [a.expr])),
  ];

  it('the Grafana dashboard queries only contract metrics (and vor_check_result), process metrics and ALERTS', () => {
    assert.ok(exprs.length >= 10);
    // The contract's metrics and vor_check_result, which tells a skip from a pass (README, "Deploying").
    const contract = new Set([...CONTRACT_METRIC_NAMES, 'vor_check_result'].flatMap((n) => [n, `${n}_bucket`]));
    for (const expr of exprs) {
      const names = [...expr.replace(/"[^"]*"/g, '').matchAll(/\b([a-z_:][a-z0-9_:]*)\s*(?=\{|\[|\)|$| )/gi)].map((m) => m[1] ?? '');
      for (const name of names.filter((n) => /^(vor_|process_|nodejs_)/.test(n))) {
        assert.ok(contract.has(name) || /^(process_|nodejs_)/.test(name), `${name} in ${expr}`);
      }
    }
  });

  it('every dashboard query is valid PromQL (checked by promtool as recording rules)', async (t) => {
    const skipped = skipMessage(PROMTOOL);
    if (skipped) return t.skip(skipped);
    const rules = {
      groups: [
        {
          name: 'dashboard',
          rules: exprs.map((expr, i) => ({
            record: `dashboard:query${i}`,
            expr: expr.replaceAll('$target', '.*').replaceAll('$location', '.*'),
          })),
        },
      ],
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'vor-dash-'));
    try {
      writeFileSync(path.join(dir, 'dashboard.rules.yml'), JSON.stringify(rules));
      const result = await runTool(PROMTOOL, ['check', 'rules', path.join(dir, 'dashboard.rules.yml')]);
      assert.equal(result.code, 0, result.stdout + result.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the example Prometheus and Alertmanager configurations pass promtool/amtool', async (t) => {
    const skipped = skipMessage(PROMTOOL);
    if (skipped) return t.skip(skipped);
    const prom = await runTool(PROMTOOL, [
      'check',
      'config',
      fileURLToPath(new URL('../deploy/prometheus/prometheus.yml', import.meta.url)),
    ]);
    assert.equal(prom.code, 0, prom.stdout + prom.stderr);
    // scripts/setup.sh installs prometheus-alertmanager, which ships amtool: missing is a failure, not a skip.
    assert.ok(existsSync('/usr/bin/amtool'), 'amtool is not installed (apt-get install prometheus-alertmanager)');
    const am = await runTool('/usr/bin/amtool', [
      'check-config',
      fileURLToPath(new URL('../deploy/alertmanager/alertmanager.yml', import.meta.url)),
    ]);
    assert.equal(am.code, 0, am.stdout + am.stderr);
  });
});
