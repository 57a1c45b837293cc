import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRedactor } from '../src/core/redact.js';
import { DEFAULT_TEST_USERS } from '../src/config/profile.js';
import { buildTarget, type Target } from '../src/core/target.js';
import { runLoad } from '../load/run.js';
import { startTarget, type RunningTarget } from '../target/server.js';

const byId = (results: readonly { id: string; status: string; reason?: string }[]) => Object.fromEntries(results.map((r) => [r.id, r]));

function targetOf(running: RunningTarget): Target {
  return buildTarget(
    { name: 'reference', baseUrl: running.baseUrl, caFile: running.caFile, environment: 'test', publicApiPaths: [], routes: [] },
    running.testUser,
  );
}

describe('runLoad against the reference target', () => {
  let running: RunningTarget;
  let dir: string;
  before(async () => {
    running = await startTarget({ quiet: true });
    dir = mkdtempSync(path.join(tmpdir(), 'vor-load-test-'));
  });
  after(async () => {
    await running.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const redactor = () => createRedactor([running.testUser.password, running.adminToken]);

  test('a healthy target meets every threshold; four results and three report files', { timeout: 20_000 }, async () => {
    running.setFaults({}, 'replace');
    const out = await runLoad({
      target: targetOf(running),
      scenario: 'browse',
      durationSeconds: 2,
      connections: 4,
      redactor: redactor(),
      outputDir: path.join(dir, 'healthy'),
    });
    assert.deepEqual(
      out.results.map((r) => [r.id, r.status]),
      [
        ['load.latency_p95', 'pass'],
        ['load.latency_p99', 'pass'],
        ['load.error_rate', 'pass'],
        ['load.throughput', 'pass'],
      ],
    );
    assert.deepEqual(out.files.map((f) => path.basename(f)).sort(), ['load.html', 'load.json', 'load.md']);
    assert.ok(
      out.report.requests.some((r) => r.startsWith('GET /assets/')),
      'browse includes the landing page assets',
    );
  });

  test('added latency fails p95 (and the throughput it costs), not the error rate', { timeout: 30_000 }, async () => {
    running.setFaults({ latencyMs: 3200 }, 'replace');
    try {
      const out = await runLoad({
        target: targetOf(running),
        scenario: 'browse',
        durationSeconds: 5,
        connections: 10,
        redactor: redactor(),
        outputDir: path.join(dir, 'slow'),
      });
      const r = byId(out.results);
      assert.equal(r['load.latency_p95']?.status, 'fail');
      assert.equal(r['load.latency_p95']?.reason, 'above_limit');
      assert.equal(r['load.latency_p99']?.status, 'pass', '3.2 s is under the 5 s p99 limit');
      assert.equal(r['load.error_rate']?.status, 'pass');
      assert.equal(r['load.throughput']?.status, 'fail');
    } finally {
      running.setFaults({}, 'replace');
    }
  });

  test('an error fraction fails the error rate in the open model, not the latency', { timeout: 20_000 }, async () => {
    running.setFaults({ errorRate: 0.2 }, 'replace');
    try {
      const out = await runLoad({
        target: targetOf(running),
        scenario: 'browse',
        durationSeconds: 3,
        rate: 100,
        connections: 20,
        redactor: redactor(),
        outputDir: path.join(dir, 'errors'),
      });
      const r = byId(out.results);
      assert.equal(r['load.error_rate']?.status, 'fail');
      // On a starved machine the generator's own lag may qualify the latency pass; it must never fail it.
      const latency = r['load.latency_p95'];
      assert.ok(
        latency?.status === 'pass' || (latency?.status === 'warn' && latency.reason === 'generator_saturated'),
        JSON.stringify(latency),
      );
      // Over the run it must hold; one 1-s window cut short by a stall of this shared machine only warns.
      const throughput = r['load.throughput'];
      assert.ok(
        throughput?.status === 'pass' || (throughput?.status === 'warn' && throughput.reason === 'window_breach'),
        `the open model still delivered its 100 req/s: ${JSON.stringify(throughput)}`,
      );
      assert.ok(out.report.sample.overall.requestsPerSecond >= 95, `${out.report.sample.overall.requestsPerSecond} req/s`);
      const ratio = out.report.sample.overall.errorRatio;
      assert.ok(ratio > 0.1 && ratio < 0.3, `error ratio ${ratio} near the 20 % injected`);
      assert.ok((out.report.sample.overall.outcomes['500'] ?? 0) > 0);
    } finally {
      running.setFaults({}, 'replace');
    }
  });

  test('--abort-on-breach stops at the first bad window and fails the threshold', { timeout: 20_000 }, async () => {
    running.setFaults({ errorRate: 0.5 }, 'replace');
    try {
      const started = performance.now();
      const out = await runLoad({
        target: targetOf(running),
        scenario: 'browse',
        durationSeconds: 30,
        connections: 4,
        windowSeconds: 1,
        abortOnBreach: true,
        redactor: redactor(),
        outputDir: path.join(dir, 'abort'),
      });
      assert.ok(performance.now() - started < 8000, 'stopped long before the 30 s planned');
      assert.equal(out.report.abortedOnBreach, true);
      assert.equal(byId(out.results)['load.error_rate']?.status, 'fail');
    } finally {
      running.setFaults({}, 'replace');
    }
  });

  test('api-read signs in once and reads with the session; no secret reaches the report files', { timeout: 20_000 }, async () => {
    const out = await runLoad({
      target: targetOf(running),
      scenario: 'api-read',
      durationSeconds: 2,
      connections: 2,
      redactor: redactor(),
      outputDir: path.join(dir, 'api'),
    });
    assert.deepEqual(Object.keys(out.report.sample.overall.outcomes), ['200'], JSON.stringify(out.report.sample.overall.outcomes));
    assert.ok(out.results.every((r) => r.status === 'pass'));
    for (const file of out.files) {
      const text = readFileSync(file, 'utf8');
      assert.ok(!text.includes(running.testUser.password), `${file} leaks the password`);
      assert.ok(!/vor_session=/.test(text), `${file} leaks the session cookie`);
    }
  });

  test('login: the rate limit holds under load (429s), and that is not an error', { timeout: 20_000 }, async () => {
    const out = await runLoad({
      target: targetOf(running),
      scenario: 'login',
      durationSeconds: 2,
      connections: 2,
      redactor: redactor(),
      outputDir: path.join(dir, 'login'),
    });
    const outcomes = out.report.sample.overall.outcomes;
    assert.ok((outcomes['429'] ?? 0) > 0, `no 429 in ${JSON.stringify(outcomes)}`);
    assert.equal(
      Object.keys(outcomes).some((s) => s.startsWith('2')),
      false,
      'a wrong password never logged in',
    );
    assert.equal(byId(out.results)['load.error_rate']?.status, 'pass');
  });

  test('a scenario that needs a test user is skipped without one', { timeout: 10_000 }, async () => {
    const anonymous = buildTarget({
      baseUrl: running.baseUrl,
      caFile: running.caFile,
      environment: 'test',
      publicApiPaths: [],
      routes: [],
      users: { ...DEFAULT_TEST_USERS, existing: { emailEnv: 'ACME_QA_EMAIL', passwordEnv: 'ACME_QA_PASSWORD' } },
    });
    const out = await runLoad({
      target: anonymous,
      scenario: 'api-read',
      durationSeconds: 1,
      redactor: redactor(),
      outputDir: path.join(dir, 'anon'),
    });
    assert.deepEqual(
      out.results.map((r) => r.status),
      ['skip', 'skip', 'skip', 'skip'],
    );
    // The skip names the variables this target's profile reads, not a fixed pair.
    for (const r of out.results) assert.match(r.message, /set ACME_QA_EMAIL and ACME_QA_PASSWORD/);
    assert.deepEqual(readdirSync(dir).includes('anon'), false);
  });
});
