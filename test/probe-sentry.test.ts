import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunSummary } from '../src/core/result.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { runCli } from './helpers/cli.js';
import { startIngest, type IngestStandIn } from './sentry-ingest.js';

let target: RunningTarget;
let ingest: IngestStandIn;
const PASSWORD = `planted-${Math.random().toString(36).slice(2)}`;

before(async () => {
  target = await startTarget({
    quiet: true,
    faults: { no_hsts: true, x_powered_by: true },
    testUser: { email: 'sentry@vor.test', password: PASSWORD },
  });
  ingest = await startIngest();
});
after(async () => {
  await target.close();
  await ingest.close();
});

test(
  'probe with SENTRY_DSN: one scrubbed event per failing check, tagged, and monitoring.error_tracking passes',
  { timeout: 60_000 },
  async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'vor-probe-sentry-'));
    const run = await runCli(
      ['probe', '--json', '--target', target.baseUrl, '--http', target.httpUrl, '--ca', target.caFile, '--environment', 'staging'],
      {
        cwd,
        env: {
          SENTRY_DSN: ingest.dsn,
          VOR_RELEASE: 'deploy-42',
          VOR_TEST_USER_EMAIL: target.testUser.email,
          VOR_TEST_USER_PASSWORD: PASSWORD,
          VOR_REPORTS_DIR: cwd,
        },
      },
    );
    assert.equal(run.code, 1, run.stderr);
    const summary = JSON.parse(run.stdout) as RunSummary;
    const failing = summary.results
      .filter((r) => r.status === 'fail' || r.status === 'error')
      .map((r) => r.id)
      .sort();
    assert.deepEqual(failing, ['headers.hsts', 'headers.x_powered_by']);
    assert.equal(summary.results.find((r) => r.id === 'monitoring.error_tracking')?.status, 'pass');

    const events = ingest
      .items('event')
      .filter((e) => (e.payload.tags as Record<string, string> | undefined)?.check !== 'monitoring.error_tracking');
    assert.deepEqual(events.map((e) => (e.payload.tags as Record<string, string>).check).sort(), failing);
    for (const event of events) {
      const tags = event.payload.tags as Record<string, string>;
      assert.equal(tags.target, target.baseUrl);
      assert.equal(tags.environment, 'staging');
      assert.equal(tags.release, 'deploy-42');
      assert.deepEqual(event.payload.fingerprint, [tags.check, target.baseUrl]);
    }
    for (const envelope of ingest.envelopes) assert.ok(!envelope.raw.includes(PASSWORD), 'the test password reached Sentry');
    assert.ok(!run.stdout.includes(ingest.dsn) && !run.stderr.includes(ingest.dsn), 'the DSN was printed');
  },
);
