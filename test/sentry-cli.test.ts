/** smoke and load, like probe and verify, send one Sentry event per failing check (contract.md, "Error tracking"). */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunSummary } from '../src/core/result.js';
import type { Faults } from '../target/faults.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { runCli } from './helpers/cli.js';
import { targetFlags } from './helpers/target-flags.js';
import { startIngest, type IngestStandIn } from './sentry-ingest.js';

const PASSWORD = `planted-${Math.random().toString(36).slice(2)}`;

describe('smoke and load report failing checks to Sentry', { timeout: 300_000 }, () => {
  let target: RunningTarget;
  let ingest: IngestStandIn;
  const dirs: string[] = [];
  const printed: string[] = [];
  before(async () => {
    target = await startTarget({ quiet: true, testUser: { email: 'sentry-cli@vor.test', password: PASSWORD } });
    ingest = await startIngest();
  });
  after(async () => {
    await target.close();
    await ingest.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the command against the target with these faults; the failing ids of its report and the checks its events name. */
  async function runWithFaults(args: readonly string[], faults: Partial<Faults>) {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-sentry-cli-'));
    dirs.push(reportsDir);
    target.setFaults(faults, 'replace');
    const eventsBefore = ingest.items('event').length;
    try {
      const run = await runCli([...args, ...targetFlags(target)], {
        cwd: reportsDir,
        timeoutMs: 200_000,
        env: {
          SENTRY_DSN: ingest.dsn,
          VOR_TEST_USER_EMAIL: target.testUser.email,
          VOR_TEST_USER_PASSWORD: PASSWORD,
          VOR_REPORTS_DIR: reportsDir,
          VOR_CONFIG: undefined,
        },
      });
      printed.push(run.stdout, run.stderr);
      const summary = JSON.parse(readFileSync(path.join(reportsDir, 'latest', 'summary.json'), 'utf8')) as RunSummary;
      const failing = summary.results
        .filter((r) => r.status === 'fail' || r.status === 'error')
        .map((r) => r.id)
        .sort();
      const events = ingest.items('event').slice(eventsBefore);
      const checks = events.map((e) => (e.payload.tags as Record<string, string>).check ?? '').sort();
      return { run, failing, checks, events };
    } finally {
      target.setFaults({}, 'replace');
    }
  }

  test('load: each breached threshold becomes one event, tagged with its check and target', async () => {
    const { run, failing, checks, events } = await runWithFaults(['load', '--duration', '2'], { errorRate: 0.5 });
    assert.equal(run.code, 1, run.stderr);
    assert.ok(failing.includes('load.error_rate'), `load.error_rate should fail; failing: ${failing.join(', ')}`);
    assert.deepEqual(checks, failing);
    for (const event of events) assert.equal((event.payload.tags as Record<string, string>).target, target.baseUrl);
  });

  test('smoke: each failing browser check becomes one event', async () => {
    const { run, failing, checks } = await runWithFaults(['smoke', '--grep', 'terms of service'], { no_terms_link: true });
    assert.equal(run.code, 1, run.stderr.slice(-2000));
    assert.deepEqual(failing, ['compliance.terms']);
    assert.deepEqual(checks, failing);
  });

  test('no event carries the test password, and the DSN is never printed', () => {
    assert.ok(ingest.envelopes.length > 0);
    for (const envelope of ingest.envelopes) assert.ok(!envelope.raw.includes(PASSWORD), 'the test password reached Sentry');
    assert.ok(printed.length > 0 && printed.every((text) => !text.includes(ingest.dsn)), 'the DSN was printed');
  });
});
