/**
 * A k6 run's handleSummary output lands in vor-watch's load report. k6 itself is not installed here,
 * so the input is test/fixtures/k6-summary.json: handleSummary data in k6's documented format (the
 * browse scenario, 60 s at 10 VUs), written by hand, not recorded from a real k6 run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { durationSeconds, loadReportOf, summaryFiles, type K6Check, type K6SummaryData } from '../load/k6/summary.js';
import { parseLoadReport } from '../load/report/baseline.js';
import { compareWithBaseline } from '../load/report/compare.js';
import type { LoadReport } from '../load/report/load-report.js';
import { renderLoadHtml } from '../load/report/html.js';
import { renderLoadMarkdown } from '../load/report/markdown.js';
import { evaluateThreshold } from '../load/thresholds.js';
import { k6ScenarioOf } from '../load/k6-export.js';
import { scenarioFromConfig } from '../load/scenarios/from-config.js';
import { LoadScenarioSchema } from '../src/config/load-schema.js';
import { SCENARIOS } from '../load/scenarios/index.js';
import type { LoadCheckId } from '../load/scenarios/types.js';
import type { Severity } from '../src/core/result.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/k6-summary.json', import.meta.url), 'utf8')) as K6SummaryData;
const XSD = readFileSync(new URL('./fixtures/junit.xsd', import.meta.url), 'utf8');
const table = JSON.parse(readFileSync(new URL('../load/k6/scenarios.json', import.meta.url), 'utf8')) as Record<
  string,
  { checks: K6Check<LoadCheckId, Severity>[]; requests: { method: string; path: string }[] }
>;
const browse = table.browse;
assert.ok(browse !== undefined);
const facts = {
  scenario: 'browse',
  baseUrl: 'https://staging.vor.example/',
  vus: 10,
  plannedDurationSeconds: 60,
  requests: browse.requests.map((r) => `${r.method} ${r.path}`),
  checks: browse.checks,
  endedAtMs: Date.parse('2026-11-29T10:01:00.012Z'),
};

describe('k6 handleSummary → vor-watch load report', () => {
  it('writes a load.json that vor-watch reads as a load report and a baseline', () => {
    const files = summaryFiles(fixture, facts, '/results/');
    const text = files['/results/load.json'];
    assert.ok(text !== undefined, Object.keys(files).join(', '));
    // The type checker holds the k6 side to vor-watch's LoadReport shape; the parser to what a baseline needs.
    const typed: LoadReport = loadReportOf(fixture, facts);
    const report = parseLoadReport(text, 'load.json');
    assert.deepEqual(report, JSON.parse(JSON.stringify(typed)));
    assert.equal(report.target, 'https://staging.vor.example');
    assert.equal(report.startedAt, '2026-11-29T10:00:00.000Z');
    assert.equal(report.sample.overall.requests, 6000);
    assert.equal(report.sample.overall.failed, 15);
    assert.equal(report.sample.overall.latency.p95, 0.5123);
    assert.match(files.stdout ?? '', /pass {2}load\.latency_p95/);

    const markdown = renderLoadMarkdown(report, compareWithBaseline(report, report));
    assert.match(markdown, /# Load test: browse on https:\/\/staging\.vor\.example/);
    assert.match(markdown, /6000 requests, 15 failed/);
    assert.match(markdown, /load\.latency_p95 \| PASS \| 512\.3 ms/);
    assert.match(renderLoadHtml(report), /load\.error_rate/);
  });

  it('names each runner its own files, so k6-operator runners sharing a volume do not overwrite each other', () => {
    const first = summaryFiles(fixture, facts, '/results', 'vor-load-browse-1-x7k2p');
    const second = summaryFiles(fixture, facts, '/results', 'vor-load-browse-2-q9zz4');
    const written = (files: Record<string, string>): string[] => Object.keys(files).filter((k) => k !== 'stdout');
    assert.deepEqual(written(first), ['/results/load-vor-load-browse-1-x7k2p.json', '/results/junit-vor-load-browse-1-x7k2p.xml']);
    assert.equal(written(first).filter((name) => written(second).includes(name)).length, 0);
    assert.match(first.stdout ?? '', /written: \/results\/load-vor-load-browse-1-x7k2p\.json/);
    // A runner id cannot climb out of the folder; without one (a single k6 process) the names are as before.
    assert.deepEqual(written(summaryFiles(fixture, facts, '/results', '../../etc/x y')), [
      '/results/load-etc-x-y.json',
      '/results/junit-etc-x-y.xml',
    ]);
    assert.deepEqual(written(summaryFiles(fixture, facts, '/results', '')), ['/results/load.json', '/results/junit.xml']);
  });

  it('judges the thresholds as vor-watch load would for the same figures', () => {
    const report = loadReportOf(fixture, facts);
    const own = (SCENARIOS.browse?.thresholds ?? []).map(
      (t) =>
        evaluateThreshold(report.sample, t, { scenario: 'browse', origin: report.target, windowSeconds: 60, windowBreachFails: false })
          .status,
    );
    assert.deepEqual(
      report.results.map((r) => r.status),
      own,
    );
    assert.deepEqual(own, ['pass', 'pass', 'pass', 'pass']);

    const slow = structuredClone(fixture) as { metrics: Record<string, { values: Record<string, number> }> };
    const duration = slow.metrics.http_req_duration;
    assert.ok(duration !== undefined);
    duration.values['p(95)'] = 3400;
    const broken = loadReportOf(slow as K6SummaryData, facts).results.find((r) => r.id === 'load.latency_p95');
    assert.equal(broken?.status, 'fail');
    assert.match(broken?.message ?? '', /p95 latency 3\.40 s breaks p95 latency < 3\.00 s/);
  });

  it('writes JUnit that validates, one testcase per threshold, failures as failures', async () => {
    const slow = structuredClone(fixture) as { metrics: Record<string, { values: Record<string, number> }> };
    const failedRate = slow.metrics.http_req_failed;
    assert.ok(failedRate !== undefined);
    failedRate.values.passes = 900;
    const xml = summaryFiles(slow as K6SummaryData, facts, '.')['./junit.xml'] ?? '';
    const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [XSD] });
    assert.ok(validation.valid, validation.rawOutput);
    assert.equal((xml.match(/<testcase /g) ?? []).length, 4);
    assert.match(xml, /name="load\.error_rate"[^>]*>\s*<failure message="error rate 15\.00 % breaks error rate &lt; 5\.00 %/);
  });

  it("judges a config scenario's k6 thresholds from the k6 summary as vor-watch would (custom ids, other comparisons)", () => {
    const scenario = k6ScenarioOf(
      'team',
      scenarioFromConfig(
        'team',
        LoadScenarioSchema.parse({
          requests: [{ path: '/' }],
          thresholds: { http_req_duration: ['avg<200', 'p(95)<=600'], checks: ['rate>0.999'], http_reqs: ['count>=6000'] },
        }),
        'vor-watch.yml',
      ),
    );
    const report = loadReportOf(fixture, { ...facts, scenario: 'team', checks: scenario.checks as K6Check<LoadCheckId, Severity>[] });
    assert.deepEqual(
      report.results.map((r) => [r.id, r.status, r.evidence.value]),
      [
        ['custom.load.http_req_duration_avg', 'fail', 0.2124],
        ['load.latency_p95', 'pass', 0.5123],
        ['custom.load.checks_rate', 'fail', 0.9975],
        ['custom.load.http_reqs_count', 'pass', 6000],
      ],
    );
    assert.match(report.results[2]?.message ?? '', /breaks answers without a server error > 99\.90 % \(checks: rate>0\.999\)/);
    assert.deepEqual(report.results[0]?.checklist, ['Performance: Load testing completed']);
  });

  it('reads k6 durations', () => {
    assert.equal(durationSeconds('5m'), 300);
    assert.equal(durationSeconds('1h30m'), 5400);
    assert.equal(durationSeconds('90'), 90);
    assert.ok(Number.isNaN(durationSeconds('soon')));
    assert.ok(Number.isNaN(durationSeconds('5m soon')));
  });
});
