import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { CheckResult, RunSummary } from '../src/core/result.js';
import { isolatedCliEnv, runCli, temporaryDirs } from './helpers/cli.js';

/** The team's folder, outside this repository: each spec is one thing a team's check can do. */
const SPECS: Record<string, string> = {
  'landing.spec.ts': `import { test, expect, check } from 'vor-watch/smoke';

test('the landing page answers', check('custom.landing', { severity: 'critical', checklist: ['Post-Deployment: Run smoke tests'] }), async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBeLessThan(400);
});
`,
  'promo.spec.ts': `import { test, expect, check } from 'vor-watch/smoke';

test('the promo banner is shown', check('custom.promo_banner', { severity: 'critical' }), async ({ page }) => {
  await page.goto('/');
  await expect(page.getByText('No such promo banner anywhere')).toBeVisible({ timeout: 500 });
});

test('forgot to declare its check', async () => {});
`,
  'payment.spec.ts': `import { test, expect, check } from 'vor-watch/smoke';

test("the team's own payment flow", check('flow.payment'), async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.ok()).toBe(true);
});
`,
  'throws.spec.ts': `import { test, check } from 'vor-watch/smoke';

test('reads the balance', check('custom.throws', { severity: 'high' }), async () => {
  const balance = undefined as unknown as { today: number };
  console.log(balance.today);
});
`,
  'hangs.spec.ts': `import { test, check } from 'vor-watch/smoke';

test('waits forever', check('custom.hangs', { severity: 'medium' }), async () => {
  await new Promise(() => {});
});
`,
  'broken.spec.ts': `import { test, check } from 'vor-watch/smoke';

test('never loads', check('custom.broken_syntax', { severity: 'high' }), async () => {
  const a = ;
});
`,
};

describe("the team's own Playwright specs", { timeout: 600_000 }, () => {
  const tmp = temporaryDirs('vor-team-checks-');
  const env = isolatedCliEnv;

  test('pass, fail, replace a built-in, throw, hang, not load: each is its own record, the built-ins still run, a critical failure is NO-GO', async () => {
    const home = tmp();
    mkdirSync(path.join(home, 'checks'));
    for (const [file, source] of Object.entries(SPECS)) writeFileSync(path.join(home, 'checks', file), source);
    writeFileSync(
      path.join(home, 'vor-watch.json'),
      JSON.stringify({ checks: { dir: 'checks' }, smoke: { testTimeoutMs: 20_000, budgetMs: 400_000 } }),
    );
    const reportsDir = path.join(home, 'reports');
    // The built-in flow.payment (replaced) would match this grep too; compliance.terms is a built-in that must still run.
    const run = await runCli(['smoke', '--config', 'vor-watch.json', '--grep', '@custom|@flow\\.payment|@compliance\\.terms'], {
      cwd: home,
      env: env(reportsDir),
      timeoutMs: 480_000,
    });
    const runDir = realpathSync(path.join(reportsDir, 'latest'));
    const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as RunSummary;
    const byId = new Map<string, CheckResult>(summary.results.map((r) => [r.id, r]));
    const row = (id: string) => {
      const r = byId.get(id);
      return r === undefined ? 'missing' : `${r.status}/${r.reason ?? ''}/${r.severity}`;
    };
    assert.deepEqual(
      Object.fromEntries(
        [
          'custom.landing',
          'custom.promo_banner',
          'flow.payment',
          'custom.throws',
          'custom.hangs',
          'custom.broken_syntax',
          'custom.promo',
          'compliance.terms',
        ].map((id) => [id, row(id)]),
      ),
      {
        'custom.landing': 'pass//critical',
        'custom.promo_banner': 'fail/assertion_failed/critical',
        'flow.payment': 'pass//critical',
        'custom.throws': 'error/spec_error/high',
        'custom.hangs': 'error/timeout/medium',
        'custom.broken_syntax': 'error/spec_load_failed/high',
        'custom.promo': 'error/unmapped_test/high',
        'compliance.terms': 'pass//high',
      },
      run.stderr.slice(-3000),
    );
    // The team's flow.payment ran instead of the built-in one; declared checklist items travel with a custom id.
    assert.match(byId.get('flow.payment')!.message, /the team's own payment flow/);
    assert.deepEqual(byId.get('custom.landing')!.checklist, ['Post-Deployment: Run smoke tests']);
    // Bad specs name their file and line.
    assert.match(byId.get('custom.throws')!.message, /^checks\/throws\.spec\.ts:5: "reads the balance" threw: TypeError/);
    assert.match(byId.get('custom.hangs')!.message, /^checks\/hangs\.spec\.ts:3: "waits forever" did not finish within 20 s/);
    assert.match(byId.get('custom.broken_syntax')!.message, /^checks\/broken\.spec\.ts:4: the spec file does not load.*SyntaxError/);
    assert.match(byId.get('custom.promo')!.message, /checks\/promo\.spec\.ts:8: test "forgot to declare its check" declares no check/);
    // A failing critical custom check makes the run NO-GO, like a built-in.
    assert.equal(summary.verdict, 'fail');
    assert.equal(run.code, 1, run.stderr.slice(-2000));
    const junit = readFileSync(path.join(runDir, 'junit.xml'), 'utf8');
    for (const id of ['custom.landing', 'custom.promo_banner', 'custom.hangs', 'custom.broken_syntax'])
      assert.match(junit, new RegExp(`name="${id.replace('.', '\\.')}`));
    assert.match(readFileSync(path.join(runDir, 'index.html'), 'utf8'), /custom\.promo_banner/);
  });

  test('--checks naming no folder is a usage error (exit 2) before any browser starts', async () => {
    const home = tmp();
    const run = await runCli(['smoke', '--checks', 'nowhere'], { cwd: home, env: env(home), timeoutMs: 30_000 });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /--checks.*nowhere does not exist/s);
  });
});
