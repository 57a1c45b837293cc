/** examples/checks/ as shipped: its two Playwright specs pass on the reference target and fail against its faults. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { RunSummary } from '../src/core/result.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { runCli } from './helpers/cli.js';
import { targetFlags } from './helpers/target-flags.js';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const IDS = ['custom.dashboard_balance', 'custom.privacy_link_in_footer'];

let running: RunningTarget;
let reportsDir: string;
before(async () => {
  running = await startTarget({ quiet: true });
  reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-examples-checks-'));
});
after(async () => {
  await running.close();
  rmSync(reportsDir, { recursive: true, force: true });
});

/** Runs the example's specs, unedited, as the README says; returns "status/reason" per custom id. */
async function runExampleSpecs(): Promise<{ rows: Record<string, string>; code: number | null; stderr: string }> {
  const run = await runCli(['smoke', '--config', 'examples/checks/vor-watch.yml', '--grep', '@custom', ...targetFlags(running)], {
    cwd: REPO,
    env: { VOR_REPORTS_DIR: reportsDir, VOR_BASE_URL: undefined, VOR_CONFIG: undefined, SENTRY_DSN: '' },
    timeoutMs: 120_000,
  });
  const summary = JSON.parse(readFileSync(path.join(realpathSync(path.join(reportsDir, 'latest')), 'summary.json'), 'utf8')) as RunSummary;
  const rows = Object.fromEntries(
    IDS.map((id) => {
      const r = summary.results.find((result) => result.id === id);
      return [id, r === undefined ? 'missing' : `${r.status}/${r.reason ?? ''}`];
    }),
  );
  return { rows, code: run.code, stderr: run.stderr };
}

test(
  'examples/checks: both specs pass on the reference target, and fail when the balance and the privacy link are gone',
  { timeout: 240_000 },
  async () => {
    const healthy = await runExampleSpecs();
    assert.deepEqual(
      healthy.rows,
      { 'custom.dashboard_balance': 'pass/', 'custom.privacy_link_in_footer': 'pass/' },
      healthy.stderr.slice(-3000),
    );
    assert.equal(healthy.code, 0, healthy.stderr.slice(-2000));

    running.setFaults({ dashboard_empty: true, no_privacy_link: true });
    const broken = await runExampleSpecs();
    assert.deepEqual(
      broken.rows,
      { 'custom.dashboard_balance': 'fail/no_accounts', 'custom.privacy_link_in_footer': 'fail/no_link' },
      broken.stderr.slice(-3000),
    );
    assert.equal(broken.code, 1, broken.stderr.slice(-2000));
  },
);
