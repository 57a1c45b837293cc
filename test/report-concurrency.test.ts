/**
 * Issue 16 item 8: retention with concurrent runs. Eight runs share a reports folder with a
 * retention of 2; each run's folder exists while it runs (as a browser run's does). Every run
 * finishes without a report error, what is left is whole, no run folder is half deleted, and
 * `latest` points at a whole run: the one that finished last.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { HistoryStore } from '../src/history/store.js';
import { buildSummary } from '../src/report/summary.js';
import { writeRunReport } from '../src/report/write.js';
import { checkResult } from './helpers/results.js';

const ORIGIN = 'https://127.0.0.1:8443';

const RUNNER = fileURLToPath(new URL('./helpers/concurrent-report.ts', import.meta.url));
const RUNS = 8;

test(
  '8 concurrent runs with a retention of 2: all finish whole, nothing in progress is pruned, latest is valid',
  { timeout: 180_000 },
  async () => {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-concurrent-'));
    const barrier = path.join(reportsDir, '..', `${path.basename(reportsDir)}.go`);
    // Run ids from the real clock, as runs have: an unfinished folder is judged abandoned by its age.
    const base = Date.now() - 60_000;
    const runs = Array.from({ length: RUNS }, (_, i) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', RUNNER, reportsDir, String(i), barrier, String(base)], {
        timeout: 170_000,
      }),
    );
    // Every run has its folder (and an early file) before any of them finishes.
    for (let waited = 0; readdirSync(reportsDir).filter((n) => /^\d{4}-/.test(n)).length < RUNS && waited < 150_000; waited += 50) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    writeFileSync(barrier, 'go');
    const outputs = (await Promise.all(runs)).map((r) => JSON.parse(r.stdout) as { runId: string; warnings: string[] });
    for (const output of outputs) assert.deepEqual(output.warnings, [], output.runId);

    const folders = readdirSync(reportsDir).filter((n) => /^\d{4}-/.test(n));
    for (const folder of folders) {
      const dir = path.join(reportsDir, folder);
      for (const file of ['.complete', 'summary.json', 'junit.xml', 'index.html', 'load.json', 'playwright/early.txt']) {
        assert.ok(existsSync(path.join(dir, file)), `${folder}/${file}: what is left is whole`);
      }
      assert.match(readFileSync(path.join(dir, 'index.html'), 'utf8'), /<\/html>\s*$/);
    }
    const newest = outputs.map((o) => o.runId).sort();
    // A run never prunes itself: one that finished after the newer ones may stay until the next run.
    assert.ok(
      newest.slice(-2).every((runId) => folders.includes(runId)),
      `the two newest runs remain: ${folders.join(', ')}`,
    );
    // Each run points the links at itself (contract.md, "Reports"): they end at the run that finished last, whole.
    const linked = ['latest', 'latest-probe', 'targets/reference/latest', 'targets/reference/latest-probe'].map((link) =>
      path.basename(realpathSync(path.join(reportsDir, link))),
    );
    assert.equal(new Set(linked).size, 1, `every link at one run: ${linked.join(', ')}`);
    assert.ok(folders.includes(linked[0] ?? ''), 'and it is a whole run folder');
    const store = HistoryStore.open(reportsDir, { mustExist: true });
    try {
      assert.equal(store.runs().length, RUNS, 'every run is in the history');
      const gone = store
        .runs()
        .filter((r) => r.pruned === true)
        .map((r) => r.runId);
      assert.deepEqual([...gone, ...folders].sort(), newest, 'every run is either whole or gone (and recorded as pruned)');
    } finally {
      store.close();
    }
    // The next run brings the folder down to the retention.
    const next = await writeRunReport(buildSummary({ target: ORIGIN, startedAt: new Date(), results: [checkResult('headers.hsts')] }), {
      reportsDir,
      command: 'probe',
      targetNames: { [ORIGIN]: 'reference' },
      keep: 2,
    });
    assert.deepEqual(
      readdirSync(reportsDir)
        .filter((n) => /^\d{4}-/.test(n))
        .sort(),
      [newest.at(-1), next.runId],
    );
  },
);
