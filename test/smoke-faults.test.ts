import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { embeddedTargetInput } from '../src/session/session.js';
import { DEFAULT_BUDGETS } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import type { CheckResult } from '../src/core/result.js';
import { buildTarget } from '../src/core/target.js';
import { runSmoke, type SmokeOutcome } from '../smoke/run.js';
import type { Faults } from '../target/faults.js';
import { startTarget, type RunningTarget } from '../target/server.js';
import { textsUnder } from './helpers/artifacts.js';

const PLANTED_PASSWORD = `Planted-Secret-${Math.random().toString(36).slice(2, 10)}!`;

/** Each fault, the check it must break, and how (checks.md). Faults in one group do not disturb each other's checks. */
const GROUP_A = {
  no_consent_banner: ['compliance.cookie_consent', 'fail', 'no_banner'],
  analytics_before_consent: ['compliance.cookies_before_consent', 'fail', 'analytics_before_consent'],
  oversized_image: ['perf.images', 'fail', 'oversized_image'],
  broken_asset: ['page.broken_assets', 'fail', 'broken_asset'],
  dashboard_exception: ['page.console_errors', 'fail', 'uncaught_exception'],
  mixed_content: ['page.mixed_content', 'fail', 'mixed_content'],
  slow_lcp: ['perf.web_vitals', 'fail', 'slow_lcp'],
  big_bundle: ['perf.bundle_size', 'fail', 'over_budget'],
  image_not_lazy: ['perf.lazy_loading', 'warn', 'not_lazy'],
  no_privacy_link: ['compliance.privacy_policy', 'fail', 'no_link'],
  no_terms_link: ['compliance.terms', 'fail', 'no_link'],
  route_broken: ['routes.reachable', 'fail', 'route_broken'],
  export_broken: ['flow.data_export', 'fail', 'export_invalid'],
  deletion_keeps_login: ['flow.account_deletion', 'fail', 'login_still_works'],
  logout_keeps_session: ['flow.logout', 'fail', 'session_still_valid'],
  login_accepts_wrong_password: ['flow.login', 'fail', 'wrong_password_accepted'],
  // Plaid Link itself succeeds; the app's token exchange fails, so no account appears.
  link_bank_broken: ['flow.link_bank', 'fail', 'account_missing'],
  payment_broken: ['flow.payment', 'fail', 'payment_failed'],
  dashboard_empty: ['flow.dashboard', 'fail', 'no_accounts'],
} as const;

// signup_broken breaks every flow's throwaway user, and console_error / image_legacy_format share ids with group A.
const GROUP_B = {
  signup_broken: ['flow.signup', 'fail', 'signup_failed'],
  console_error: ['page.console_errors', 'fail', 'console_error'],
  image_legacy_format: ['perf.images', 'warn', 'legacy_format'],
} as const;
const GROUP_B_GREP = 'signs up|console errors|images are small|logs in';

// The vendors' own failures, as the cross-origin widgets show them (two runs: the ids are the same).
const WIDGET_REFUSALS = {
  plaid_credentials_rejected: ['flow.link_bank', 'fail', 'link_failed'],
  stripe_card_declined: ['flow.payment', 'fail', 'payment_failed'],
} as const;
const WIDGETS_DOWN = {
  plaid_link_unavailable: ['flow.link_bank', 'fail', 'widget_unavailable'],
  stripe_unavailable: ['flow.payment', 'fail', 'widget_unavailable'],
} as const;
const WIDGET_GREP = 'bank links|payment succeeds';

const faultsOf = (group: Record<string, unknown>): Partial<Faults> => Object.fromEntries(Object.keys(group).map((name) => [name, true]));

function assertGroup(results: readonly CheckResult[], group: Record<string, readonly [string, string, string]>): void {
  const problems: string[] = [];
  for (const [fault, [id, status, reason]] of Object.entries(group)) {
    const result = results.find((r) => r.id === id);
    if (result?.status !== status || result.reason !== reason) {
      problems.push(
        `${fault}: expected ${id} ${status}/${reason}, got ${result === undefined ? 'no result' : `${result.status}/${result.reason ?? ''}: ${result.message}`}`,
      );
    }
  }
  assert.deepEqual(problems, []);
}

describe('smoke checks against the faulted reference target', { timeout: 900_000 }, () => {
  let target: RunningTarget;
  const outputDirs: string[] = [];
  const run = async (
    faults: Partial<Faults>,
    {
      credentials = true,
      password,
      ...options
    }: { grep?: string; trace?: 'on'; credentials?: boolean; password?: string; timeoutMs?: number } = {},
  ): Promise<SmokeOutcome & { dir: string; output: string }> => {
    target.setFaults(faults, 'replace');
    const dir = mkdtempSync(path.join(tmpdir(), 'vor-smoke-faults-'));
    outputDirs.push(dir);
    let output = '';
    const outcome = await runSmoke({
      target: buildTarget(
        embeddedTargetInput(target),
        credentials ? { ...target.testUser, ...(password === undefined ? {} : { password }) } : undefined,
      ),
      budgets: DEFAULT_BUDGETS,
      outputDir: dir,
      redactor: createRedactor([PLANTED_PASSWORD]),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      // A fault fails the same way every time: no retries; waiting is idle time, so more workers than cores.
      retries: 0,
      workers: 4,
      timeoutMs: 150_000,
      onOutput: (text) => (output += text),
      ...options,
    });
    return { ...outcome, dir, output };
  };

  before(async () => {
    target = await startTarget({ quiet: true, testUser: { email: 'qa-smoke@vor.test', password: PLANTED_PASSWORD } });
  });
  after(async () => {
    await target.close();
    for (const dir of outputDirs) rmSync(dir, { recursive: true, force: true });
  });

  test('each browser and flow fault fails its own check with the right reason', async () => {
    const { results } = await run(faultsOf(GROUP_A), { timeoutMs: 240_000 });
    assertGroup(results, GROUP_A);
  });

  test('a rejected bank login and a declined card fail their flows with what the widget said', async () => {
    const { results } = await run(faultsOf(WIDGET_REFUSALS), { grep: WIDGET_GREP });
    assertGroup(results, WIDGET_REFUSALS);
    const said = (id: string) => JSON.stringify(results.find((r) => r.id === id));
    assert.match(said('flow.link_bank'), /credentials were not correct/);
    assert.match(said('flow.payment'), /Your card was declined/);
  });

  test('widgets that never load fail their flows as widget_unavailable, naming the frame', async () => {
    const { results } = await run(faultsOf(WIDGETS_DOWN), { grep: WIDGET_GREP });
    assertGroup(results, WIDGETS_DOWN);
    assert.match(JSON.stringify(results.find((r) => r.id === 'flow.link_bank')), /app\.connectBank\.frame/);
  });

  test('a test user who cannot sign in turns only the checks that need a session red', async () => {
    const { results } = await run(
      {},
      { grep: 'logs in|shows the user|privacy policy|consent banner', password: 'not-the-password-at-all' },
    );
    const status = Object.fromEntries(results.map((r) => [r.id, r.status]));
    assert.equal(status['flow.login'], 'fail');
    assert.ok(status['flow.dashboard'] === 'fail' || status['flow.dashboard'] === 'error', `flow.dashboard ${status['flow.dashboard']}`);
    assert.match(JSON.stringify(results.find((r) => r.id === 'flow.dashboard')), /sign-in/);
    assert.equal(status['compliance.privacy_policy'], 'pass');
    assert.equal(status['compliance.cookie_consent'], 'pass');
  });

  test('broken sign-up, a console error and a legacy image are caught; no secret survives in any artifact', async () => {
    const outcome = await run(faultsOf(GROUP_B), { grep: GROUP_B_GREP, trace: 'on' });
    assertGroup(outcome.results, GROUP_B);

    // Full traces of a run that signed the test user in (setup, login flow) and failed: the
    // password was typed and posted, session cookies and tokens were sent. None may remain.
    const traces = [...textsUnder(outcome.dir)].filter((t) => t.file.includes('.zip!'));
    assert.ok(
      traces.some((t) => t.file.endsWith('trace.network')),
      'the run kept traces with network logs',
    );
    assert.ok(
      traces.some((t) => t.text.includes('[redacted]')),
      'the scrubber found secrets to remove',
    );
    const leaks: string[] = [];
    for (const { file, text, bytes } of textsUnder(outcome.dir)) {
      if (bytes.includes(PLANTED_PASSWORD)) leaks.push(`${file}: the test user's password`);
      const session = /vor_session=(?!\[redacted\])[A-Za-z0-9_-]{16,}/.exec(text);
      if (session !== null) leaks.push(`${file}: a session cookie ${session[0].slice(0, 20)}…`);
      if (/eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./.test(text)) leaks.push(`${file}: a JWT`);
      if (/vor-fresh-[0-9a-f]{24}/.test(text)) leaks.push(`${file}: a throwaway user's password`);
    }
    assert.deepEqual(leaks, []);
    assert.ok(!outcome.output.includes(PLANTED_PASSWORD), 'Playwright output');
    assert.ok(!JSON.stringify(outcome.results).includes(PLANTED_PASSWORD), 'results');
  });

  test('without test credentials the flows that need the test user are skipped, saying what would enable them', async () => {
    const { results } = await run({}, { grep: 'logs in|shows the user', credentials: false });
    assert.deepEqual(
      results.map((r) => [r.id, r.status, r.reason]),
      [
        ['flow.login', 'skip', 'no_credentials'],
        ['flow.dashboard', 'skip', 'no_credentials'],
      ],
    );
    assert.ok(results.every((r) => r.message.includes('VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD')));
  });
});
