import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { specOf } from '../src/core/catalogue.js';
import { assertValidSummary } from '../src/report/summary.js';
import { PROBES } from '../probes/index.js';
import { startTarget } from '../target/server.js';
import { runCli } from './helpers/cli.js';
import { refusedPort } from './helpers/hostile.js';

const cwd = mkdtempSync(path.join(tmpdir(), 'vor-probe-cli-'));
const clean = { VOR_BASE_URL: undefined, VOR_CONFIG: undefined, VOR_TEST_USER_EMAIL: undefined, VOR_TEST_USER_PASSWORD: undefined };
// The registry plus monitoring.error_tracking, which every run adds with its own DSN (a skip without one).
const PROBE_IDS = [...PROBES.flatMap((p) => p.checks), 'monitoring.error_tracking'];

test(
  'probe without --target runs every probe check against the embedded target and prints one table line per check',
  { timeout: 60_000 },
  async () => {
    const run = await runCli(['probe'], { cwd, env: clean });
    assert.match(run.stderr, /started the embedded reference target/);
    for (const id of PROBE_IDS) assert.match(run.stdout, new RegExp(`^(PASS|WARN|FAIL|ERR |SKIP)  ${id.replace('.', '\\.')}\\s`, 'm'), id);
    const blocking = run.stdout.split('\n').filter((line) => /^(FAIL|ERR )/.test(line));
    assert.deepEqual(blocking, [], 'the clean embedded target has no fail or error');
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^GO {2}https:\/\/127\.0\.0\.1:\d+/m);
  },
);

test('probe --json prints only the contract JSON on stdout, and writes the same summary to the report', { timeout: 60_000 }, async () => {
  const run = await runCli(['probe', '--json', '--check', 'headers.*', '--check', 'cors.null_origin'], { cwd, env: clean });
  const summary = assertValidSummary(JSON.parse(run.stdout));
  assert.equal(summary.tool, 'vor-watch');
  const ids = summary.results.map((r) => r.id);
  assert.deepEqual(ids, [...PROBE_IDS.filter((id) => id.startsWith('headers.')), 'cors.null_origin']);
  for (const r of summary.results) assert.deepEqual(r.checklist, specOf(r.id).checklist);
  assert.equal(run.code, summary.verdict === 'pass' ? 0 : 1);
  const written = path.join(cwd, 'reports', 'latest', 'summary.json');
  assert.ok(existsSync(written));
  assert.deepEqual(
    JSON.parse(readFileSync(written, 'utf8')).results.map((r: { id: string }) => r.id),
    ids,
  );
  assert.doesNotMatch(run.stdout, /vor-demo-password/);
});

test('probe --target exits 1 when a check fails, and the table shows it', { timeout: 60_000 }, async () => {
  const target = await startTarget({ quiet: true, faults: { x_powered_by: true } });
  try {
    const run = await runCli(
      ['probe', '--target', target.baseUrl, '--ca', target.caFile, '--check', 'headers.x_powered_by', '--check', 'headers.hsts'],
      {
        cwd,
        env: clean,
      },
    );
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^FAIL {2}headers\.x_powered_by\s+X-Powered-By: Express is sent on https:/m);
    assert.match(run.stdout, /^PASS {2}headers\.hsts\s/m);
    assert.match(run.stdout, /^NO-GO/m);
    assert.doesNotMatch(run.stderr, /embedded/);
  } finally {
    await target.close();
  }
});

test(
  'a --check glob that matches nothing exits 2 naming --check and the valid areas, before starting anything',
  { timeout: 30_000 },
  async () => {
    const run = await runCli(['probe', '--check', 'header.*'], { cwd, env: clean });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--check: "header\.\*" matches no probe check/);
    assert.match(run.stderr, /headers\.\*/);
    assert.match(run.stderr, /cors\.origin_reflection/);
    assert.doesNotMatch(run.stderr, /started the embedded reference target/);
    assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/);
  },
);

test('a browser check given to probe --check is explained, not silently ignored', { timeout: 30_000 }, async () => {
  const run = await runCli(['probe', '--check', 'perf.web_vitals'], { cwd, env: clean });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /browser or load check/);
});

test(
  'probe --json against a refused port exits 1 with a valid summary of error results, quickly and without a stack',
  { timeout: 30_000 },
  async () => {
    const port = await refusedPort();
    const run = await runCli(['probe', '--json', '--target', `https://127.0.0.1:${port}`], { cwd, env: clean, timeoutMs: 20_000 });
    assert.equal(run.code, 1, run.stderr);
    const summary = assertValidSummary(JSON.parse(run.stdout));
    assert.equal(summary.results.length, PROBE_IDS.length);
    for (const r of summary.results) {
      const acceptable =
        r.status === 'error' ||
        (r.id === 'health.endpoint' && r.status === 'fail' && r.reason === 'unreachable') ||
        (r.id === 'monitoring.error_tracking' && r.status === 'skip');
      assert.ok(acceptable, `${r.id}: ${r.status}/${r.reason} ${r.message}`);
    }
    assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+/);
  },
);
