import assert from 'node:assert/strict';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { RunSummary } from '../src/core/result.js';
import { SMOKE_CHECK_IDS } from '../smoke/checks.js';
import { isolatedCliEnv, runCli, temporaryDirs } from './helpers/cli.js';

describe('vor-watch smoke', { timeout: 240_000 }, () => {
  const tmp = temporaryDirs('vor-smoke-cli-');
  const env = isolatedCliEnv;

  test('without --target runs every flow and browser check against the embedded target: all pass, exit 0, reports written', async () => {
    const reportsDir = tmp();
    const run = await runCli(['smoke'], { cwd: reportsDir, env: env(reportsDir), timeoutMs: 200_000 });
    const summary = JSON.parse(readFileSync(path.join(reportsDir, 'latest', 'summary.json'), 'utf8')) as RunSummary;
    const notPassing = summary.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status} ${r.message}`);
    assert.deepEqual(notPassing, []);
    assert.deepEqual(summary.results.map((r) => r.id).sort(), [...SMOKE_CHECK_IDS].sort());
    assert.equal(run.code, 0, run.stderr.slice(-2000));
    assert.match(run.stderr, /embedded reference target/);
    assert.match(run.stdout, /GO/);
    const runDir = realpathSync(path.join(reportsDir, 'latest'));
    for (const file of ['summary.json', 'junit.xml', 'index.html', 'playwright/index.html']) {
      assert.ok(existsSync(path.join(runDir, file)), `${file} in the run folder`);
    }
    assert.match(readFileSync(path.join(runDir, 'index.html'), 'utf8'), /playwright\/index\.html/);
  });

  test('an invalid --grep is a usage error (exit 2) naming the flag, before any browser starts', async () => {
    const reportsDir = tmp();
    const run = await runCli(['smoke', '--grep', '(unclosed'], { cwd: reportsDir, env: env(reportsDir), timeoutMs: 30_000 });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--grep/);
    assert.doesNotMatch(run.stderr, /at .*\.ts:\d+/);
  });
});
