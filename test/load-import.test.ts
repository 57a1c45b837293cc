import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { summaryFiles, type K6SummaryData } from '../load/k6/summary.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vor-load-import-'));
const reportsDir = path.join(dir, 'reports');
const env = { VOR_REPORTS_DIR: reportsDir, VOR_BASE_URL: undefined, VOR_CONFIG: undefined, VOR_ENVIRONMENT: undefined };
const fixture = JSON.parse(readFileSync(new URL('./fixtures/k6-summary.json', import.meta.url), 'utf8')) as K6SummaryData;
const table = JSON.parse(readFileSync(new URL('../load/k6/scenarios.json', import.meta.url), 'utf8')) as Record<
  string,
  { checks: Parameters<typeof summaryFiles>[1]['checks']; requests: { method: string; path: string }[] }
>;

/** What one k6-operator runner's handleSummary writes (load/k6/summary.ts), from a k6 summary. */
function runnerFile(runner: string, data: K6SummaryData): string {
  const browse = table.browse;
  assert.ok(browse !== undefined);
  const facts = {
    scenario: 'browse',
    baseUrl: 'https://staging.vor.example',
    vus: 10,
    plannedDurationSeconds: 60,
    requests: browse.requests.map((r) => `${r.method} ${r.path}`),
    checks: browse.checks,
    endedAtMs: Date.parse('2026-11-29T10:01:00.012Z'),
  };
  const files = summaryFiles(data, facts, path.join(dir, 'k6-results'), runner);
  const name = path.join(dir, 'k6-results', `load-${runner}.json`);
  const content = files[name];
  assert.ok(content !== undefined, Object.keys(files).join(', '));
  mkdirSync(path.dirname(name), { recursive: true });
  writeFileSync(name, content);
  return name;
}

/** The fixture with a slower runner: its p95 is 3.5 s (the threshold is p95 < 3 s), everything else alike. */
const slow: K6SummaryData = {
  ...fixture,
  metrics: {
    ...fixture.metrics,
    http_req_duration: { values: { ...fixture.metrics.http_req_duration?.values, 'p(95)': 3500, 'p(99)': 4200, max: 4900 } },
  },
};

interface Summary {
  verdict: string;
  results: { id: string; status: string; message: string; evidence: Record<string, unknown> }[];
}

describe('vor-watch load --import: k6-operator runners in one report and history', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  test(
    'two runners merge into one run: counts summed, the worst runner’s p95 judged and said so; NO-GO, history',
    { timeout: 60_000 },
    async () => {
      const files = [runnerFile('vor-load-1', fixture), runnerFile('vor-load-2', slow)];
      const run = await runCli(['load', '--import', ...files], { env, timeoutMs: 40_000 });
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, /merged 2 k6 runner reports \(12000 requests\) of browse on https:\/\/staging\.vor\.example/);
      const runDir = realpathSync(path.join(reportsDir, 'latest'));
      const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as Summary;
      assert.equal(summary.verdict, 'fail');
      const byId = Object.fromEntries(summary.results.map((r) => [r.id, r]));
      assert.equal(byId['load.latency_p95']?.status, 'fail');
      assert.equal(byId['load.latency_p95']?.evidence.value, 3.5);
      assert.equal(byId['load.latency_p95']?.evidence.merge, 'worst_runner_percentile');
      assert.match(byId['load.latency_p95']?.message ?? '', /worst of 2 runners' percentiles: k6 summaries carry no histogram/);
      assert.deepEqual(
        (byId['load.latency_p95']?.evidence.runners as { file: string; value: number }[]).map((r) => [r.file, r.value]),
        [
          ['load-vor-load-1.json', 0.5123],
          ['load-vor-load-2.json', 3.5],
        ],
      );
      // Counts add up: 30 failed of 12 000; each runner's throughput floor (20/s) is its share, so the whole run's is 40/s.
      assert.equal(byId['load.error_rate']?.status, 'pass');
      assert.equal(byId['load.error_rate']?.evidence.requests, 12_000);
      assert.equal(byId['load.error_rate']?.evidence.failed, 30);
      assert.equal(byId['load.throughput']?.evidence.limit, 40);
      assert.equal(byId['load.throughput']?.evidence.value, 199.96);
      assert.equal(byId['load.throughput']?.status, 'pass');

      assert.match(readFileSync(path.join(runDir, 'junit.xml'), 'utf8'), /load\.latency_p95/);
      assert.match(readFileSync(path.join(runDir, 'index.html'), 'utf8'), /load\.html/);
      const loadJson = JSON.parse(readFileSync(path.join(runDir, 'load.json'), 'utf8')) as { sample: { overall: { requests: number } } };
      assert.equal(loadJson.sample.overall.requests, 12_000);

      const report = await runCli(['report'], { env, timeoutMs: 20_000 });
      assert.equal(report.code, 0, report.stderr);
      assert.match(readFileSync(path.join(reportsDir, 'history.html'), 'utf8'), new RegExp(path.basename(runDir)));
    },
  );

  test('a garbled, foreign or missing file is exit 2 naming the file; nothing is merged', { timeout: 30_000 }, async () => {
    const good = runnerFile('vor-load-3', fixture);
    const garbled = path.join(dir, 'load-garbled.json');
    writeFileSync(garbled, '{"tool":"vor-watch","kind":"lo');
    const foreign = path.join(dir, 'load-foreign.json');
    writeFileSync(foreign, JSON.stringify({ metrics: {} }));
    const run = await runCli(['load', '--import', good, garbled, foreign, path.join(dir, 'missing.json')], { env, timeoutMs: 20_000 });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--import .*load-garbled\.json: is not JSON/);
    assert.match(run.stderr, /--import .*load-foreign\.json: is not a vor-watch load report \(tool: /);
    assert.match(run.stderr, /--import .*missing\.json: cannot be read \(ENOENT\)/);
  });

  test(
    'a threshold with a figure vor-watch does not know, or a limit without its comparison, is exit 2 naming the file',
    { timeout: 30_000 },
    async () => {
      const good = JSON.parse(readFileSync(runnerFile('vor-load-4', fixture), 'utf8')) as { thresholds: Record<string, unknown>[] };
      const variant = (name: string, change: (t: Record<string, unknown>) => Record<string, unknown>): string => {
        const file = path.join(dir, name);
        writeFileSync(file, JSON.stringify({ ...good, thresholds: good.thresholds.map((t, i) => (i === 0 ? change(t) : t)) }));
        return file;
      };
      const unknownMetric = variant('load-unknown-metric.json', (t) => ({ ...t, metric: 'latencyP42Seconds' }));
      const noComparison = variant('load-no-op.json', ({ id, metric }) => ({ id, metric, limit: 1 }));
      const run = await runCli(['load', '--import', unknownMetric, noComparison], { env, timeoutMs: 20_000 });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, /--import .*load-unknown-metric\.json: .*thresholds/);
      assert.match(run.stderr, /--import .*load-no-op\.json: .*thresholds/);
      assert.doesNotMatch(run.stderr, /internal error|TypeError/);
    },
  );
});
