import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CATALOGUE } from '../src/core/catalogue.js';
import type { RunSummary } from '../src/core/result.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { runCli } from './helpers/cli.js';

const PLANTED_PASSWORD = `planted-pw-${Math.random().toString(36).slice(2)}`;

function readSummary(reportsDir: string): RunSummary {
  return JSON.parse(readFileSync(path.join(reportsDir, 'latest', 'summary.json'), 'utf8')) as RunSummary;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

/** The checklist items the run shows red: those of every blocking result. */
function redItems(summary: RunSummary): Set<string> {
  return new Set(summary.results.filter((r) => r.status === 'fail' || r.status === 'error').flatMap((r) => r.checklist));
}

describe('vor-watch verify against the reference target', { timeout: 600_000 }, () => {
  let target: RunningTarget;
  before(async () => {
    target = await startTarget({ quiet: true, testUser: { email: 'qa-verify@vor.test', password: PLANTED_PASSWORD } });
  });
  after(() => target.close());

  const verify = (reportsDir: string, extraEnv: Record<string, string> = {}) =>
    runCli(['verify', '--target', target.baseUrl, '--http', target.httpUrl, '--ca', target.caFile], {
      timeoutMs: 240_000,
      cwd: reportsDir,
      env: {
        VOR_REPORTS_DIR: reportsDir,
        VOR_TEST_USER_EMAIL: target.testUser.email,
        VOR_TEST_USER_PASSWORD: target.testUser.password,
        SENTRY_DSN: '',
        VOR_CONFIG: undefined,
        ...extraEnv,
      },
    });

  test('the clean target is GO (exit 0) with every automated checklist item green', async () => {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-verify-clean-'));
    const run = await verify(reportsDir);
    const summary = readSummary(reportsDir);
    const blocking = summary.results.filter((r) => r.status === 'fail' || r.status === 'error');
    assert.deepEqual(
      blocking.map((r) => `${r.id}: ${r.message}`),
      [],
    );
    assert.equal(run.code, 0, run.stderr);
    assert.equal(summary.verdict, 'pass');
    assert.match(run.stdout, /GO/);
    assert.match(run.stdout, /report: .*index\.html/);

    // Every probe, flow and browser check ran: the whole automated catalogue (load.*, monitoring.* and the gate's rollback.* aside).
    const ran = new Set(summary.results.map((r) => r.id));
    const expected = Object.keys(CATALOGUE).filter((id) => !/^(load|monitoring|rollback)\./.test(id));
    assert.deepEqual(
      expected.filter((id) => !ran.has(id as never)),
      [],
    );

    for (const name of ['summary.json', 'junit.xml', 'index.html']) assert.ok(existsSync(path.join(reportsDir, 'latest', name)), name);

    // The planted password and the admin token never reach any file of the report folder.
    for (const file of filesUnder(path.join(reportsDir, 'latest'))) {
      const bytes = readFileSync(file);
      for (const secret of [PLANTED_PASSWORD, target.adminToken])
        assert.equal(bytes.includes(secret), false, `${secret.slice(0, 8)}… found in ${file}`);
    }
  });

  test('three faults switched on: NO-GO (exit 1) and exactly their checklist items red', async () => {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-verify-faults-'));
    target.setFaults({ no_hsts: true, cors_reflect_origin: true, no_consent_banner: true }, 'replace');
    try {
      const run = await verify(reportsDir);
      assert.equal(run.code, 1, run.stderr);
      const summary = readSummary(reportsDir);
      assert.equal(summary.verdict, 'fail');
      const failing = new Set(summary.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.id));
      for (const id of ['headers.hsts', 'cors.origin_reflection', 'compliance.cookie_consent'] as const)
        assert.ok(failing.has(id), `${id} should fail`);
      assert.deepEqual([...redItems(summary)].sort(), [
        'Compliance: Cookie consent implemented',
        'Compliance: GDPR compliance verified',
        'Security: CORS properly configured',
        'Security: HTTPS configured for all endpoints',
      ]);
    } finally {
      target.setFaults({}, 'replace');
    }
  });
});
