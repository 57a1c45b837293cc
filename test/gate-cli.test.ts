/**
 * `vor-watch gate` against the reference target: exit 1 soon after health starts failing (the
 * in-process test in gate.test.ts pins "within one interval of the 4th failure" exactly), exit 0
 * on a clean window.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type * as TargetModule_ from '../target/server.js';
import type { RunningTarget } from '../target/server.js';

type TargetModule = typeof TargetModule_;
import { runCli } from './helpers/cli.js';
import { targetFlags } from './helpers/target-flags.js';

const REFERENCE_TARGET = fileURLToPath(new URL('../target/server.ts', import.meta.url));
const missing = existsSync(REFERENCE_TARGET) ? false : 'SKIPPED: target/server.ts (the reference target) has not landed';
if (missing) console.error(`\n*** ${missing} ***\n`);

async function withTarget<T>(fn: (running: RunningTarget) => Promise<T>): Promise<T> {
  const { startTarget } = (await import(new URL('../target/server.js', import.meta.url).href)) as TargetModule;
  const running = await startTarget({ quiet: true });
  try {
    return await fn(running);
  } finally {
    await running.close();
  }
}

const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-gate-cli-'));
const env = { SENTRY_DSN: '', VOR_REPORTS_DIR: reportsDir };
/**
 * Trigger windows ÷40 (error rate 8 s, p95 sustained 8 s), so that a 9 s gate can judge every trigger;
 * long enough that a request or two timing out on a loaded CI machine stays under 5 %.
 */
const shortWindows = { ...env, VOR_TRIGGER_TIME_SCALE: '40' };

interface GateSummary {
  verdict: string;
  results: { id: string; status: string; reason?: string; target: string; evidence: Record<string, unknown> }[];
}

/** The gate's report folder, as the run printed it: summary.json parsed, junit.xml as text. */
function gateReport(stdout: string): { summary: GateSummary; junit: string } {
  const printed = /^report: (.+)\/index\.html$/m.exec(stdout)?.[1];
  assert.ok(printed !== undefined, `no report line in:\n${stdout}`);
  assert.equal(realpathSync(printed), realpathSync(path.join(reportsDir, 'latest')));
  return {
    summary: JSON.parse(readFileSync(path.join(printed, 'summary.json'), 'utf8')) as GateSummary,
    junit: readFileSync(path.join(printed, 'junit.xml'), 'utf8'),
  };
}

describe('vor-watch gate (CLI) on the reference target', { timeout: 180_000, skip: missing }, () => {
  after(() => rmSync(reportsDir, { recursive: true, force: true }));

  it('exits 0 when the window passes clean', async () => {
    await withTarget(async (running) => {
      const run = await runCli(['gate', ...targetFlags(running), '--for', '9s', '--interval', '1s'], {
        timeoutMs: 60_000,
        env: shortWindows,
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^GO: the [\d.]+ s window passed clean/);
      // A heartbeat each interval (at most 10 s apart) with every trigger's state.
      const heartbeats = run.stderr.match(
        /^vor-watch gate: \d+ s of 9 s; https:\/\/\S+: rollback\.error_rate \w+, rollback\.slow_responses \w+, rollback\.health_failures \w+$/gm,
      );
      assert.ok((heartbeats?.length ?? 0) >= 5, run.stderr);
      const { summary, junit } = gateReport(run.stdout);
      assert.equal(summary.verdict, 'pass');
      assert.deepEqual(
        summary.results.map((r) => [r.id, r.status]),
        [
          ['rollback.error_rate', 'pass'],
          ['rollback.slow_responses', 'pass'],
          ['rollback.health_failures', 'pass'],
        ],
      );
      assert.match(junit, /<testsuites[^>]* tests="3" failures="0" errors="0"/);
    });
  });

  it('keeps its GO when the report cannot be written, and says so', async () => {
    await withTarget(async (running) => {
      const blocker = path.join(reportsDir, 'a-file');
      writeFileSync(blocker, 'not a folder');
      const run = await runCli(['gate', ...targetFlags(running), '--for', '9s', '--interval', '1s'], {
        timeoutMs: 60_000,
        env: { ...shortWindows, VOR_REPORTS_DIR: path.join(blocker, 'reports') },
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.match(run.stdout, /^GO: /);
      assert.match(run.stderr, /the report could not be written \(.*ENOTDIR.*\); the verdict stands/);
    });
  });

  it('--for 1s is not GO: the response-time trigger cannot be judged in a second (inconclusive: exit 1 without --allow-inconclusive)', async () => {
    await withTarget(async (running) => {
      const run = await runCli(['gate', ...targetFlags(running), '--for', '1s', '--interval', '1s'], { timeoutMs: 60_000, env });
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /^NO-GO \(inconclusive\)/);
      assert.match(
        run.stdout,
        /rollback\.slow_responses for https:\S+: rollback\.slow_responses cannot be judged within --for 1s: it needs 5m/,
      );
      assert.match(run.stderr, /rollback\.slow_responses cannot be judged within --for 1s.*it will end inconclusive unless it fires/);
      const slow = gateReport(run.stdout).summary.results.find((r) => r.id === 'rollback.slow_responses');
      assert.deepEqual([slow?.status, slow?.reason], ['error', 'window_too_short']);
    });
  });

  it('exits 1 naming rollback.health_failures with its evidence once health fails 4 times in a row', async () => {
    await withTarget(async (running) => {
      const gate = runCli(['gate', ...targetFlags(running), '--for', '60s', '--interval', '1s'], { timeoutMs: 90_000, env });
      // Health breaks once the gate has watched a few cycles (an event: requests seen), not after a guessed sleep.
      const before = running.requestCount();
      for (let waited = 0; running.requestCount() < before + 45 && waited < 60_000; waited += 50) await sleep(50);
      // 200 with status fail: a failed health check but no failed request, so only the health trigger can fire
      // (a 503 is also a failed user-path request: with ~15 per cycle, the error rate would fire first).
      running.setFaults({ health_dependency_down: true }, 'merge');
      const run = await gate;
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stdout, /NO-GO: rollback trigger rollback\.health_failures fired for https:\/\/127\.0\.0\.1:\d+/);
      assert.match(run.stdout, /"consecutiveFailures":4/);
      const { summary, junit } = gateReport(run.stdout);
      assert.equal(summary.verdict, 'fail');
      const health = summary.results.find((r) => r.id === 'rollback.health_failures');
      assert.equal(health?.status, 'fail');
      assert.equal(health?.reason, 'fired');
      assert.equal(health?.evidence.consecutiveFailures, 4);
      assert.match(junit, /<testcase [^>]*name="rollback\.health_failures[^"]*"[^>]*>\s*<failure/);
      // It fired at the 4th failure in a row (consecutiveFailures above), so at once, not at the end of the 60 s window.
    });
  });
});
