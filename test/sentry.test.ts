import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { BudgetsSchema, ProbeOptionsSchema } from '../src/config/schema.js';
import type { RunConfig } from '../src/config/resolve.js';
import { createRedactor } from '../src/core/redact.js';
import { runProbes } from '../src/core/runner.js';
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
    const monitor = startMonitor({
      targets: [fake.target],
      probes: FAKE_PROBES,
      options,
      budgets,
      redactor: createRedactor([]),
      intervalMs: 150,
      jitterRatio: 0,
      hooks: sentryHooks(reporter),
    });
    try {
      await sleep(500);
      fake.state.health = 503;
      await sleep(400);
      await monitor.stop();
      await reporter.flush(3000);
      const checkIns = ingest
        .items('check_in')
        .map((i) => i.payload as { check_in_id: string; monitor_slug: string; status: string; duration?: number });
      const byId = new Map<string, string[]>();
      for (const c of checkIns) byId.set(c.check_in_id, [...(byId.get(c.check_in_id) ?? []), c.status]);
      assert.ok(byId.size >= 4, `${byId.size} cycles`);
      for (const statuses of byId.values()) assert.deepEqual(statuses.slice(0, 1), ['in_progress']);
      const closed = [...byId.values()].filter((s) => s.length === 2).map((s) => s[1]);
      assert.ok(closed.includes('ok') && closed.includes('error'), closed.join(','));
      assert.ok(
        checkIns.every((c) => /^vor-watch-main-127-0-0-1-\d+$/.test(c.monitor_slug)),
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

  it('sends nothing at all when no DSN is set', async () => {
    const ingest = await startIngest();
    const config = { sentryDsn: undefined } as unknown as RunConfig;
    const reporter = await startSentry(config, createRedactor([]), { stderr: process.stderr });
    assert.equal(reporter, undefined);
    const fake = await startFakeTarget();
    const monitor = startMonitor({
      targets: [fake.target],
      probes: FAKE_PROBES,
      options,
      budgets,
      redactor: createRedactor([]),
      intervalMs: 100,
    });
    await sleep(300);
    await monitor.stop();
    await fake.close();
    assert.equal(ingest.requests(), 0);
    await ingest.close();
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
