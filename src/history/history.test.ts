import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkResult } from '../../test/helpers/results.js';
import type { CheckResult } from '../core/result.js';
import { buildSummary } from '../report/summary.js';
import { newRunId, writeRunReport } from '../report/write.js';
import { beginRun } from '../session/report.js';
import Database from 'better-sqlite3';
import { runsToPrune } from './retention.js';
import { recordFinishedRun, whileBusyRetry } from './run-index.js';
import { HISTORY_FILE, HistoryStore, type RunRecord } from './store.js';
import { countFlips, trendOf } from './trends.js';

const ORIGIN = 'https://127.0.0.1:8443';
const OTHER = 'https://127.0.0.1:9443';
const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `vor-history-${name}-`));

// A day ago, from the real clock: a run folder a test leaves unfinished must not read as abandoned
// (ABANDONED_AFTER_MS, 48 h), as it did once a fixed start date fell two days behind.
let clock = Date.now() - 24 * 3_600_000;
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

test('latest is this run whatever the command (contract); latest-<command> the last run of each command; the same per target', async () => {
  const reportsDir = tmp('latest');
  const probe = await run(reportsDir, { command: 'probe', results: [checkResult('headers.hsts')] });
  assert.equal(readlinkSync(path.join(reportsDir, 'latest')), probe.runId);
  const verify = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')] });
  const staging = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')], origin: OTHER, name: 'staging' });
  const at = (link: string) => path.basename(realpathSync(path.join(reportsDir, link)));
  // A CI pipeline that runs `gate` and uploads reports/latest/junit.xml gets the gate's.
  const gate = await run(reportsDir, { command: 'gate', results: [checkResult('rollback.error_rate')] });
  assert.equal(at('latest'), gate.runId);
  assert.match(readFileSync(path.join(reportsDir, 'latest', 'junit.xml'), 'utf8'), /rollback\.error_rate/);
  const load = await run(reportsDir, { command: 'load', suite: 'browse', results: [checkResult('load.error_rate')] });
  assert.equal(at('latest'), load.runId, 'every run points latest at itself');
  assert.equal(at('latest-verify'), staging.runId, 'QA opens latest-verify: the last verify, any target');
  assert.equal(at('latest-load'), load.runId);
  assert.equal(at('latest-probe'), probe.runId);
  assert.equal(at('targets/production/latest'), load.runId);
  assert.equal(at('targets/production/latest-verify'), verify.runId);
  assert.equal(at('targets/staging/latest'), staging.runId);
  assert.equal(at('targets/staging/latest-verify'), staging.runId);
  assert.equal(at('targets/production/latest-gate'), gate.runId);
  assert.ok(existsSync(path.join(reportsDir, 'targets/production/latest/index.html')));
});

test("a report's link to the previous run works opened through targets/<target>/latest as through its own folder", async () => {
  const reportsDir = tmp('links');
  const first = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts', 'fail')] });
  const second = await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')] });
  for (const page of [second.runId, 'latest', 'latest-verify', 'targets/production/latest', 'targets/production/latest-verify']) {
    const html = readFileSync(path.join(reportsDir, page, 'index.html'), 'utf8');
    const href = /<section id="comparison">[\s\S]*?href="([^"]+)"/.exec(html)?.[1] ?? '';
    // A browser resolves the href against the path it opened, links included (not the real folder).
    const opened = path.resolve(reportsDir, page, href);
    assert.ok(existsSync(opened), `${page}: ${href}`);
    assert.equal(path.basename(path.dirname(realpathSync(opened))), first.runId, page);
    // Every other link to a run (the launch-day timeline's last runs) too.
    for (const [, other = ''] of html.matchAll(/href="(\.\.\/[^"]+\/index\.html)"/g)) {
      assert.ok(existsSync(path.resolve(reportsDir, page, other)), `${page}: ${other}`);
    }
  }
  // Run links nothing refers to any more go: the third run's page links the second, not the first.
  await run(reportsDir, { command: 'verify', results: [checkResult('headers.hsts')] });
  assert.ok(!existsSync(path.join(reportsDir, 'targets/production', first.runId)));
  assert.ok(existsSync(path.join(reportsDir, 'targets/production', second.runId, 'index.html')));
});

test('two runs starting in the same millisecond get two folders and two history rows', async () => {
  const reportsDir = tmp('same-ms');
  const startedAt = new Date('2026-11-28T10:00:00.000Z');
  const summaryOf = (status: 'pass' | 'fail') =>
    buildSummary({ target: ORIGIN, startedAt, results: [{ ...checkResult('headers.hsts', status), target: ORIGIN }], now: startedAt });
  const [a, b] = await Promise.all(
    (['pass', 'fail'] as const).map((status) =>
      writeRunReport(summaryOf(status), { reportsDir, command: 'probe', targetNames: { [ORIGIN]: 'production' } }),
    ),
  );
  assert.notEqual(a?.runId, b?.runId);
  assert.deepEqual([a?.runId, b?.runId].sort(), [newRunId('probe', startedAt), `${newRunId('probe', startedAt)}-2`]);
  for (const [written, verdict] of [
    [a, 'pass'],
    [b, 'fail'],
  ] as const) {
    assert.equal(JSON.parse(readFileSync(path.join(written?.dir ?? '', 'summary.json'), 'utf8')).verdict, verdict);
  }
  const store = HistoryStore.open(reportsDir, { mustExist: true });
  try {
    assert.equal(store.runs().length, 2);
  } finally {
    store.close();
  } // A command's run folder is made when it begins, the same way.
  const session = { config: { reportsDir } } as Parameters<typeof beginRun>[0];
  const begun = [beginRun(session, 'verify', startedAt), beginRun(session, 'verify', startedAt)];
  assert.deepEqual(
    begun.map((r) => r.runId),
    [newRunId('verify', startedAt), `${newRunId('verify', startedAt)}-2`],
  );
  assert.ok(begun.every((r) => r.reportsProblem === undefined && existsSync(r.dir)));
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
  // A GO verify written before the completion marker existed (no marker, a whole summary.json): a finished run.
  const beforeMarkers = newRunId('verify', new Date(Date.now() - 30 * 24 * 3_600_000));
  mkdirSync(path.join(reportsDir, beforeMarkers));
  writeFileSync(path.join(reportsDir, beforeMarkers, 'summary.json'), JSON.stringify({ tool: 'vor-watch', verdict: 'pass', results: [] }));

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
    [inProgress, beforeMarkers, go.runId, kept.runId, stagingVerify.runId, ...verifies.slice(-2), ...probes.slice(-2)].sort(),
    'two newest per command and target, plus the last GO verify, the --keep run, the run in progress and the one from before markers; not the abandoned one',
  );
  assert.ok(existsSync(path.join(reportsDir, 'my-notes')) && existsSync(path.join(reportsDir, 'README.md')));
  assert.equal(path.basename(realpathSync(path.join(reportsDir, 'latest'))), probes.at(-1));

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

/** A history row for the retention rules: run ids sort like start times. */
const runRecord = (runId: string, fields: Partial<RunRecord>): RunRecord => ({
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
  ...fields,
});

test('runsToPrune: keep 0 keeps all; the run being recorded is never pruned', () => {
  const record = (runId: string): RunRecord => runRecord(runId, { command: 'probe', suite: '' });
  const group = ['5', '4', '3', '2', '1'].map((id) => record(id));
  assert.deepEqual(runsToPrune(group, 0, '5'), []);
  assert.deepEqual(
    runsToPrune(group, 2, '1').map((r) => r.runId),
    ['3', '2'],
  );
});

test('runsToPrune: the last GO verify of each suite and --keep runs come on top of keep', () => {
  const verify = (runId: string, extra: Partial<RunRecord> = {}): RunRecord =>
    runRecord(runId, { command: 'verify', suite: 'all', ...extra });
  const group = [
    verify('7'),
    verify('6', { verdict: 'pass', suite: 'security' }),
    verify('5', { kept: true }),
    verify('4', { verdict: 'pass' }),
    verify('3'),
    verify('2'),
    verify('1', { verdict: 'pass' }),
  ];
  assert.deepEqual(
    runsToPrune(group, 2, '7').map((r) => r.runId),
    ['2', '1'],
    "two runs (the current one, 3) on top of the --keep run and each suite's last GO verify (6 for security, 4 for all)",
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

test('retention deletes folders after releasing the history lock: other runs never wait on a deletion', async () => {
  const reportsDir = tmp('unlocked');
  const old = await run(reportsDir, { command: 'probe', results: [checkResult('headers.hsts')] });
  const store = HistoryStore.open(reportsDir);
  const existedAtCommit: boolean[] = [];
  const locked = store.locked.bind(store);
  store.locked = <T>(work: () => T): T => {
    const result = locked(work);
    existedAtCommit.push(existsSync(path.join(reportsDir, old.runId)));
    return result;
  };
  try {
    const startedAt = nextStart();
    const runId = newRunId('probe', startedAt);
    mkdirSync(path.join(reportsDir, runId));
    const record: RunRecord = {
      ...{ runId, folder: runId, command: 'probe', target: 'production', suite: 'all', verdict: 'pass' },
      ...{ startedAt: startedAt.toISOString(), durationMs: 1, kept: false, version: '0' },
    };
    const outcome = recordFinishedRun(store, reportsDir, record, [], 1);
    assert.deepEqual(outcome.removed, [old.runId]);
    assert.deepEqual(existedAtCommit, [true], 'the folder was still there when the lock was released');
    assert.ok(!existsSync(path.join(reportsDir, old.runId)), 'and is gone afterwards');
    assert.equal(store.runs().find((r) => r.runId === old.runId)?.pruned, true);
  } finally {
    store.close();
  }
});

test('a history locked by another run: bounded retries, then the links still move to this run without history', async () => {
  const reportsDir = tmp('busy');
  await run(reportsDir, { command: 'probe', results: [checkResult('headers.hsts')] });
  const holder = new Database(path.join(reportsDir, HISTORY_FILE));
  holder.exec('BEGIN IMMEDIATE');
  try {
    const startedAt = nextStart();
    const results = [{ ...checkResult('headers.hsts'), target: ORIGIN }];
    const written = await writeRunReport(buildSummary({ target: ORIGIN, startedAt, results, now: startedAt }), {
      reportsDir,
      command: 'gate',
      targetNames: { [ORIGIN]: 'production' },
      historyBusyTimeoutMs: 20,
    });
    assert.ok(
      written.warnings.some((w) => /could not be added to the run history: .*locked/i.test(w)),
      written.warnings.join('\n'),
    );
    for (const link of ['latest', 'latest-gate', 'targets/production/latest', 'targets/production/latest-gate']) {
      assert.equal(path.basename(realpathSync(path.join(reportsDir, link))), written.runId, link);
    }
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
  }
  let calls = 0;
  const busy = () => {
    calls += 1;
    throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  };
  assert.throws(() => whileBusyRetry(busy, 3), /locked/);
  assert.equal(calls, 3, 'three tries, then it gives up');
  calls = 0;
  assert.throws(() =>
    whileBusyRetry(() => {
      calls += 1;
      throw new Error('disk I/O error');
    }),
  );
  assert.equal(calls, 1, 'only a busy history is tried again');
});
