import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildLoadReport, type LoadReport } from './report/load-report.js';
import { LoadRecorder } from './sample.js';
import { defaultThresholds } from './scenarios/types.js';
import { parseLoadReport } from './report/baseline.js';
import { compareWithBaseline } from './report/compare.js';
import { renderLoadHtml } from './report/html.js';
import { renderLoadMarkdown } from './report/markdown.js';

function reportWith(latencyMs: number, failedEvery: number, scenario = 'browse'): LoadReport {
  const recorder = new LoadRecorder(1000, 0);
  for (let i = 0; i < 300; i += 1) recorder.record(latencyMs, '200', failedEvery > 0 && i % failedEvery === 0, (i % 3) * 1000 + 10);
  return buildLoadReport({
    scenario,
    model: 'closed',
    target: 'https://127.0.0.1:8443',
    startedAt: new Date('2026-11-28T10:00:00.000Z'),
    plannedDurationSeconds: 3,
    connections: 10,
    windowSeconds: 1,
    requests: ['GET /', 'GET /<script>alert(1)</script>.js'],
    thresholds: defaultThresholds(20),
    sample: recorder.snapshot(3000),
  });
}

test('the comparison flags a slower p95 with the size of the change, and not an unchanged throughput', () => {
  const comparison = compareWithBaseline(reportWith(30, 0), reportWith(20, 0));
  const p95 = comparison.changes.find((c) => c.metric === 'p95');
  assert.ok(p95?.regression);
  assert.ok(Math.abs((p95?.change ?? 0) - 0.5) < 0.01);
  assert.equal(comparison.changes.find((c) => c.metric === 'requestsPerSecond')?.regression, false);
  assert.equal(comparison.regressions, 3); // p50, p95, p99
  assert.equal(compareWithBaseline(reportWith(20, 10), reportWith(20, 0)).changes.find((c) => c.metric === 'errorRatio')?.regression, true);
});

test('Markdown summary carries the percentiles, the windows and the flagged regression', () => {
  const md = renderLoadMarkdown(reportWith(30, 0), compareWithBaseline(reportWith(30, 0), reportWith(20, 0)));
  assert.match(md, /# Load test: browse on https:\/\/127\.0\.0\.1:8443/);
  assert.match(md, /\| 30\.0 ms \| 30\.0 ms \| 30\.0 ms \| 30\.0 ms \|/);
  assert.match(md, /\| p95 \| 20\.0 ms \| 30\.0 ms \| \+50\.0 % \| \*\*regression\*\* \|/);
  assert.equal(md.match(/^\| \d+ s \|/gm)?.length, 3);
});

test('HTML is self-contained, has both charts and escapes what it shows', () => {
  const html = renderLoadHtml(reportWith(30, 0), compareWithBaseline(reportWith(30, 0), reportWith(20, 0)));
  assert.match(html, /Latency over time/);
  assert.match(html, /Latency by percentile/);
  assert.equal((html.match(/<svg /g) ?? []).length, 3);
  assert.doesNotMatch(html, /<script/);
  assert.doesNotMatch(html, /https?:\/\/(?!127\.0\.0\.1|www\.w3\.org)/);
  assert.match(html, /regression/);
});

test('a baseline that is not a load.json is refused naming the flag', () => {
  assert.throws(() => parseLoadReport('{"kind":"verify"}', '--baseline'), /--baseline/);
  assert.throws(() => parseLoadReport('nope', '--baseline'), /--baseline: is not JSON/);
  assert.equal(parseLoadReport(JSON.stringify(reportWith(5, 0)), '--baseline').scenario, 'browse');
});

test('both reports say why requests got no answer, escaped in the HTML', () => {
  const recorder = new LoadRecorder(1000, 0);
  for (let i = 0; i < 5; i += 1)
    recorder.recordError(Object.assign(new Error('connect ECONNREFUSED <127.0.0.1>'), { code: 'ECONNREFUSED' }), 10);
  const report = { ...reportWith(10, 0), sample: recorder.snapshot(1000) };
  assert.match(
    renderLoadMarkdown(report),
    /^ {2}- 5 without an answer: connection_refused \(first: ECONNREFUSED: connect ECONNREFUSED <127\.0\.0\.1>\)$/m,
  );
  const html = renderLoadHtml(report);
  assert.match(
    html,
    /<li>5 without an answer: connection_refused \(first: ECONNREFUSED: connect ECONNREFUSED &lt;127\.0\.0\.1&gt;\)<\/li>/,
  );
  assert.doesNotMatch(renderLoadMarkdown(reportWith(10, 0)), /without an answer/);
});

test('a baseline sent by another client (--engine) is compared with a note saying so; one without an engine field gets none', () => {
  const onAutocannon = { ...reportWith(20, 0), engine: 'autocannon' as const };
  const own = { ...reportWith(20, 0), engine: 'vor-watch' as const };
  const comparison = compareWithBaseline(own, onAutocannon);
  assert.deepEqual(comparison.engines, { baseline: 'autocannon', current: 'vor-watch' });
  const note = /The baseline's requests were sent by autocannon, these by vor-watch \(--engine\)/;
  assert.match(renderLoadMarkdown(own, comparison), note);
  assert.match(renderLoadHtml(own, comparison), /The baseline&#39;s requests were sent by autocannon, these by vor-watch \(--engine\)/);
  assert.equal(compareWithBaseline(own, reportWith(20, 0)).engines, undefined);
  assert.doesNotMatch(renderLoadMarkdown(own, compareWithBaseline(own, { ...own })), note);
});
