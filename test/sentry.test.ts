import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import { resolveConfig } from '../src/config/resolve.js';
import { createRedactor } from '../src/core/redact.js';
import { runProbes } from '../src/core/runner.js';
import { buildTarget } from '../src/core/target.js';
import type { CheckResult } from '../src/core/result.js';
import { startMonitor } from '../src/monitor/monitor.js';
import { createSentryReporter, startSentry } from '../src/sentry/client.js';
import { sentryHooks } from '../src/sentry/hooks.js';
import { errorTrackingProbe } from '../src/sentry/probe.js';
import { FAKE_PROBES, startFakeTarget } from './monitor-fixtures.js';
import { startIngest } from './sentry-ingest.js';

const PASSWORD = 'hunter2-Very-Secret';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ0ZXN0QHZvci5leGFtcGxlIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const SESSION = 'vor_session=s3ss10nV4lue; Path=/; HttpOnly';
const options = ProbeOptionsSchema.parse({ timeoutMs: 2000, healthTimeoutMs: 1000, retries: 0 });
const budgets = BudgetsSchema.parse({});

function result(partial: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult {
  return { message: 'm', evidence: {}, severity: 'high', checklist: [], durationMs: 1, target: 'https://app.vor.test', ...partial };
}

describe('Sentry', { timeout: 30_000 }, () => {
  it('sends one event per failing result, fingerprinted by check and target, tagged, with no secret anywhere', async () => {
    const ingest = await startIngest();
    const fake = await startFakeTarget();
    const reporter = createSentryReporter({
      dsn: ingest.dsn,
      release: 'vor-web@1.4.2',
      environment: 'staging',
      redactor: createRedactor([PASSWORD]),
    });
    try {
      reporter.captureResult(fake.target, result({ id: 'headers.hsts', status: 'pass' }));
      reporter.captureResult(
        fake.target,
        result({
          id: 'cookies.secure',
          status: 'fail',
          reason: 'missing_secure',
          message: `login with password ${PASSWORD} set a cookie without Secure: ${SESSION}`,
          evidence: { 'set-cookie': SESSION, authorization: `Bearer ${JWT}`, note: `token=${JWT}`, body: `{"password":"${PASSWORD}"}` },
          target: fake.target.origin,
        }),
      );
      reporter.captureResult(
        fake.target,
        result({ id: 'health.endpoint', status: 'error', reason: 'timeout', severity: 'critical', target: fake.target.origin }),
      );
      assert.equal(await reporter.flush(3000), true);
      const events = ingest.items('event');
      assert.equal(events.length, 2, 'pass results send nothing');
      const cookie = events.find((e) => (e.payload.tags as Record<string, string>).check === 'cookies.secure');
      assert.ok(cookie);
      assert.deepEqual(cookie.payload.fingerprint, ['cookies.secure', fake.target.origin]);
      assert.deepEqual(
        { ...(cookie.payload.tags as Record<string, string>) },
        {
          check: 'cookies.secure',
          target: fake.target.origin,
          environment: 'staging',
          release: 'vor-web@1.4.2',
          status: 'fail',
          reason: 'missing_secure',
        },
      );
      assert.equal(cookie.payload.release, 'vor-web@1.4.2');
      assert.equal(cookie.payload.environment, 'staging');
      for (const envelope of ingest.envelopes) {
        for (const secret of [PASSWORD, JWT, 's3ss10nV4lue'])
          assert.ok(!envelope.raw.includes(secret), `${secret} leaked: ${envelope.raw}`);
      }
      assert.ok(ingest.envelopes.every((e) => e.project === '1' && /sentry_key=publickey/.test(e.auth)));
    } finally {
      await reporter.close();
      await ingest.close();
      await fake.close();
    }
  });

  it('reports every monitor cycle as a cron check-in: in_progress, then ok or error', async () => {
    const ingest = await startIngest();
    const fake = await startFakeTarget();
    const reporter = createSentryReporter({ dsn: ingest.dsn, environment: 'staging', redactor: createRedactor([]) });
    const reporting = sentryHooks(reporter);
    let cycles = 0;
    const monitor = startMonitor({
      targets: [fake.target],
      probes: FAKE_PROBES,
      options,
      budgets,
      redactor: createRedactor([]),
      intervalMs: 150,
      jitterRatio: 0,
      hooks: {
        ...reporting,
        // Two healthy cycles, then health fails for good.
        onCycleEnd(cycle, outcome) {
          reporting.onCycleEnd?.(cycle, outcome);
          if (++cycles === 2) fake.state.health = 503;
        },
      },
    });
    const closedWithError = () => ingest.items('check_in').filter((i) => i.payload.status === 'error').length;
    try {
      await ingest.waitFor(() => closedWithError() >= 2, 15_000);
      await monitor.stop();
      await reporter.flush(3000);
      const checkIns = ingest
        .items('check_in')
        .map((i) => i.payload as { check_in_id: string; monitor_slug: string; status: string; duration?: number });
      const byId = new Map<string, string[]>();
      for (const c of checkIns) byId.set(c.check_in_id, [...(byId.get(c.check_in_id) ?? []), c.status]);
      assert.ok(byId.size >= 4, `${byId.size} cycles`);
      // Each check-in is its own HTTP request, so the closing one may arrive first: order is not judged.
      for (const statuses of byId.values()) {
        assert.equal(statuses.filter((s) => s === 'in_progress').length, 1, statuses.join(','));
        assert.ok(statuses.length <= 2, statuses.join(','));
      }
      const closed = [...byId.values()].filter((s) => s.length === 2).map((s) => s.find((status) => status !== 'in_progress'));
      assert.ok(closed.includes('ok') && closed.includes('error'), closed.join(','));
      assert.ok(
        checkIns.every((c) => /^vor-watch-(main|health)-127-0-0-1-\d+$/.test(c.monitor_slug)),
        checkIns[0]?.monitor_slug,
      );
      // Health failed on several cycles, but a still-failing check is one event, not one per cycle.
      const healthEvents = ingest.items('event').filter((e) => (e.payload.tags as Record<string, string>).check === 'health.endpoint');
      assert.equal(healthEvents.length, 1);
      assert.ok(closed.filter((s) => s === 'error').length >= 2);
    } finally {
      await monitor.stop();
      await reporter.close();
      await ingest.close();
      await fake.close();
    }
  });

  it('SENTRY_DSN unset or empty: no reporter and not a word; set: the reporter it gives reaches the ingest', async () => {
    const ingest = await startIngest();
    // No .env here: the environment below is all the configuration there is.
    const cwd = mkdtempSync(path.join(tmpdir(), 'vor-sentry-'));
    const redactor = createRedactor([]);
    const sentryFor = async (env: NodeJS.ProcessEnv) => {
      const stderr = new PassThrough();
      const said: string[] = [];
      stderr.on('data', (chunk: Buffer) => said.push(chunk.toString()));
      const reporter = await startSentry(resolveConfig({ flags: {}, env, cwd }), redactor, { stderr });
      return { reporter, said: said.join('') };
    };
    try {
      for (const env of [{}, { SENTRY_DSN: '' }]) {
        const off = await sentryFor(env);
        assert.equal(off.reporter, undefined, `a reporter for ${JSON.stringify(env)}`);
        assert.equal(off.said, '');
      }
      const on = await sentryFor({ SENTRY_DSN: ingest.dsn });
      assert.ok(on.reporter, 'no reporter with SENTRY_DSN set');
      assert.match(on.said, /error tracking on/);
      try {
        on.reporter.captureResult(
          buildTarget({ baseUrl: 'https://app.vor.test', publicApiPaths: [], routes: [] }),
          result({ id: 'health.endpoint', status: 'fail', reason: 'bad_status' }),
        );
        assert.equal(await on.reporter.flush(3000), true);
      } finally {
        await on.reporter.close();
      }
      assert.equal(ingest.items('event').length, 1, 'the failing check did not reach the ingest');
    } finally {
      await ingest.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('monitoring.error_tracking: pass when the ingest accepts a test event, fail when it rejects, skip without a DSN', async () => {
    const ingest = await startIngest();
    const fake = await startFakeTarget();
    const redactor = createRedactor([]);
    const check = (dsn?: string) =>
      runProbes({
        target: fake.target,
        probes: [errorTrackingProbe({ redactor, ...(dsn === undefined ? {} : { dsn }) })],
        options,
        budgets,
        redactor,
        strict: true,
      });
    try {
      const [accepted] = await check(ingest.dsn);
      assert.equal(accepted?.status, 'pass');
      assert.equal(ingest.items('event').length, 1);
      ingest.status = 403;
      const [rejected] = await check(ingest.dsn);
      assert.equal(rejected?.status, 'fail');
      assert.equal(rejected?.reason, 'rejected');
      assert.equal(rejected?.evidence.statusCode, 403);
      assert.ok(!JSON.stringify(rejected).includes('publickey'), 'the DSN key is not in the result');
      const [none] = await check();
      assert.equal(none?.status, 'skip');
    } finally {
      await ingest.close();
      await fake.close();
    }
  });
});
