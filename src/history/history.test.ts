import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkResult } from '../../test/helpers/results.js';
import type { CheckResult } from '../core/result.js';
import { buildSummary } from '../report/summary.js';
import { newRunId, writeRunReport } from '../report/write.js';
import { runsToPrune } from './retention.js';
import { HistoryStore, type RunRecord } from './store.js';
import { countFlips, trendOf } from './trends.js';

const ORIGIN = 'https://127.0.0.1:8443';
const OTHER = 'https://127.0.0.1:9443';
const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `vor-history-${name}-`));

let clock = Date.parse('2026-11-28T10:00:00.000Z');
/** Each run starts a minute after the last. */
const nextStart = () => new Date((clock += 60_000));

interface RunSpec {
  readonly command: string;
  readonly results: readonly CheckResult[];
  readonly suite?: string;
  readonly origin?: string;
  readonly name?: string;
  readonly keep?: number;
  readonly kept?: boolean;
}

async function run(reportsDir: string, spec: RunSpec) {
  const origin = spec.origin ?? ORIGIN;
  const startedAt = nextStart();
  const results = spec.results.map((r) => ({ ...r, target: origin }));
  return writeRunReport(buildSummary({ target: origin, startedAt, results, now: startedAt }), {
    reportsDir,
    command: spec.command,
    suite: spec.suite ?? 'all',
    targetNames: { [origin]: spec.name ?? 'production' },
    keep: spec.keep ?? 0,
    kept: spec.kept === true,
  });
}

const comparisonOf = (dir: string) => {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const section = /<section id="comparison">([\s\S]*?)<\/section>/.exec(html)?.[1];
  const line = (label: string) => new RegExp(`<strong>${label}</strong> ([^<]*)`).exec(section ?? '')?.[1]?.trim();
  return {
    section,
    previous: /href="\.\.\/([^/]+)\/index\.html"/.exec(section ?? '')?.[1],
    newly: line('Newly failing:'),
    fixed: line('Fixed:'),
    new: line('Not run before \\(new\\):'),
  };
};

test('"compared with the previous run" is the last run of the same command, target and suite, across a busy reports folder', async () => {
  const reportsDir = tmp('compare');
  const hsts = (status: 'pass' | 'fail') => checkResult('headers.hsts', status);
  const first = await run(reportsDir, { command: 'verify', results: [hsts('fail'), checkResult('headers.csp')] });
  // Runs of other commands, suites and targets in between; each would mislead the comparison.
  await run(reportsDir, { command: 'probe', suite: 'headers.*', results: [hsts('pass'), checkResult('headers.csp', 'fail')] });
  await run(reportsDir, { command: 'verify', results: [hsts('pass')], origin: OTHER, name: 'staging' });
  await run(reportsDir, { command: 'verify', suite: 'security', results: [hsts('pass')] });
  await run(reportsDir, { command: 'load', suite: 'browse', results: [checkResult('load.error_rate', 'fail')] });
  // The embedded target's port changes every run: the history follows it by name.
  const current = await run(reportsDir, {
    command: 'verify',
    origin: 'https://127.0.0.1:1234',
    results: [hsts('pass'), checkResult('headers.csp', 'fail'), checkResult('tls.protocols', 'fail')],
  });
  const comparison = comparisonOf(current.dir);
  assert.equal(comparison.previous, first.runId, 'the previous verify of the same target and suite');
  assert.equal(comparison.fixed, 'headers.hsts @ production');
  assert.equal(comparison.newly, 'headers.csp @ production');
  assert.equal(comparison.new, 'tls.protocols @ production', 'a check not run before is new, never newly failing');
});

test('the first run of a command, target and suite has no comparison', async () => {
  const reportsDir = tmp('first');
  await run(reportsDir, { command: 'probe', results: [checkResult('headers.hsts', 'fail')] });
  const other = await run(reportsDir, { command: 'probe', suite: 'tls.*', results: [checkResult('tls.protocols')] });
  assert.equal(comparisonOf(other.dir).section, undefined);
});

test('latest is the last verify per target; latest-<command> the last run of each command', async () => {
  const reportsDir = tmp('latest');
  const probe = await run(reportsDir, { command: 'probe', results: [checkResult('headers.hsts')] });
  assert.equal(readlinkSync(path.join(reportsDir, 'latest')), probe.runId, 'before any verify, latest is the last run');
  const verify = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')] });
  const staging = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')], origin: OTHER, name: 'staging' });
  const load = await run(reportsDir, { command: 'load', suite: 'browse', results: [checkResult('load.error_rate')] });
  const at = (link: string) => path.basename(realpathSync(path.join(reportsDir, link)));
  assert.equal(at('latest'), staging.runId, 'a load run does not move latest');
  assert.equal(at('latest-load'), load.runId);
  assert.equal(at('latest-probe'), probe.runId);
  assert.equal(at('targets/production/latest'), verify.runId);
  assert.equal(at('targets/staging/latest'), staging.runId);
  assert.equal(at('targets/production/latest-load'), load.runId);
  assert.ok(existsSync(path.join(reportsDir, 'targets/production/latest/index.html')));
});

test('retention works per command and target and keeps the last GO verify and --keep runs', async () => {
  const reportsDir = tmp('retention');
  mkdirSync(path.join(reportsDir, 'my-notes'));
  writeFileSync(path.join(reportsDir, 'README.md'), 'hand-written');
  // A run in progress (no completion marker yet) that started a day ago (a long gate), and one that died 3 days ago.
  const inProgress = newRunId('gate', new Date(Date.now() - 24 * 3_600_000));
  mkdirSync(path.join(reportsDir, inProgress, 'playwright'), { recursive: true });
  writeFileSync(path.join(reportsDir, inProgress, 'summary.json'), '{}');
  const abandoned = newRunId('verify', new Date(Date.now() - 72 * 3_600_000));
  mkdirSync(path.join(reportsDir, abandoned, 'playwright'), { recursive: true });

  const go = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')], keep: 2 });
  const kept = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts', 'fail')], keep: 2, kept: true });
  const stagingVerify = await run(reportsDir, {
    command: 'verify',
    results: [checkResult('headers.hsts')],
    origin: OTHER,
    name: 'staging',
    keep: 2,
  });
  const verifies: string[] = [];
  const probes: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    verifies.push((await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts', 'fail')], keep: 2 })).runId);
    probes.push((await run(reportsDir, { command: 'probe', results: [checkResult('headers.hsts')], keep: 2 })).runId);
  }
  const folders = readdirSync(reportsDir).filter((n) => /^\d{4}-/.test(n));
  assert.deepEqual(
    folders.sort(),
    [inProgress, go.runId, kept.runId, stagingVerify.runId, ...verifies.slice(-2), ...probes.slice(-2)].sort(),
    'two newest per command and target, plus the last GO verify, the --keep run and the run in progress; not the abandoned one',
  );
  assert.ok(existsSync(path.join(reportsDir, 'my-notes')) && existsSync(path.join(reportsDir, 'README.md')));
  assert.equal(path.basename(realpathSync(path.join(reportsDir, 'latest'))), verifies.at(-1));

  // A newer GO verify takes over: the old one is pruned like any other.
  const newGo = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')], keep: 2 });
  await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts', 'fail')], keep: 2 });
  await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts', 'fail')], keep: 2 });
  assert.ok(!existsSync(path.join(reportsDir, go.runId)), 'the older GO verify went');
  assert.ok(existsSync(path.join(reportsDir, newGo.runId)), 'the last GO verify stays beyond keep');
  assert.ok(existsSync(path.join(reportsDir, kept.runId)), '--keep stays');

  // The history still knows the pruned runs (trends reach further back than the folders).
  const store = HistoryStore.open(reportsDir, { mustExist: true });
  try {
    assert.equal(store.runs().length, 3 + 8 + 3);
    assert.equal(store.runs().find((r) => r.runId === go.runId)?.pruned, true);
  } finally {
    store.close();
  }
});

test('runsToPrune: keep 0 keeps all; the run being recorded is never pruned', () => {
  const record = (runId: string, extra: Partial<RunRecord> = {}): RunRecord => ({
    runId,
    command: 'probe',
    target: 't',
    suite: '',
    verdict: 'fail',
    startedAt: runId,
    durationMs: 1,
    folder: runId,
    kept: false,
    version: '0',
    ...extra,
  });
  const group = ['5', '4', '3', '2', '1'].map((id) => record(id));
  assert.deepEqual(runsToPrune(group, 0, '5'), []);
  assert.deepEqual(
    runsToPrune(group, 2, '1').map((r) => r.runId),
    ['3', '2'],
  );
});

test('trends: a strip oldest first, flaky after two turns, duration against the median before', () => {
  const point = (i: number, status: CheckResult['status'], durationMs: number) => ({
    checkId: 'headers.hsts',
    target: 'production',
    status,
    durationMs,
    runId: `r${i}`,
    command: 'probe',
    startedAt: `2026-11-28T10:0${i}:00.000Z`,
  });
  const trend = trendOf([point(3, 'pass', 30), point(1, 'pass', 10), point(2, 'fail', 10), point(4, 'skip', 10), point(5, 'pass', 10)]);
  assert.deepEqual(
    trend?.strip.map((c) => c.status),
    ['pass', 'fail', 'pass', 'skip', 'pass'],
  );
  assert.equal(trend?.flaky, true);
  assert.equal(trend?.failureRate, 0.25);
  assert.equal(trend?.duration.medianBeforeMs, 10);
  assert.equal(countFlips(['fail', 'fail', 'pass', 'warn', 'skip']), 1, 'fixed once is not flaky');
  assert.equal(trendOf([point(1, 'pass', 5), point(2, 'pass', 10)])?.duration.changePct, 100);
});

test("the per-run report shows each check's strip of recent runs", async () => {
  const reportsDir = tmp('strip');
  for (const status of ['pass', 'fail', 'pass'] as const)
    await run(reportsDir, { command: 'probe', results: [checkResult('headers.hsts', status)] });
  const last = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts', 'fail')] });
  const html = readFileSync(path.join(last.dir, 'index.html'), 'utf8');
  assert.match(html, /<span class="strip" aria-label="pass fail pass fail">/);
  assert.match(html, /<span class="badge flaky">flaky<\/span>/);
});
