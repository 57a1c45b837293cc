import assert from 'node:assert/strict';
import { test } from 'node:test';
import { check } from './check-declaration.js';
import { declarationOf, fileCheckId, idsInSource, planTeamChecks, specFileOf, withTeamChecks } from './team-checks.js';
import { teamFindingOf } from './team-outcome.js';
import { SmokeRunSchema } from './run-config.js';

const annotationsOf = (details: ReturnType<typeof check>) => [details.annotation ?? []].flat();

test('check() declares a custom id with its severity and checklist items, or a built-in id with its tags', () => {
  const custom = check('custom.balance_today', { severity: 'critical', checklist: ['Post-Deployment: Test critical user flows'] });
  assert.deepEqual(declarationOf(annotationsOf(custom)), {
    id: 'custom.balance_today',
    severity: 'critical',
    checklist: ['Post-Deployment: Test critical user flows'],
  });
  assert.deepEqual(custom.tag, ['@custom', '@critical']);
  assert.deepEqual(check('flow.payment').tag, ['@flow', '@critical', '@flow.payment']);
  assert.throws(() => check('custom.Bad Name' as 'custom.x', { severity: 'high' }), /custom\.<name>/);
  assert.throws(() => check('custom.x', {} as never), /declares no severity/);
});

test('a test without a check, or with an unknown id, says what to declare', () => {
  assert.match((declarationOf([]) as { problem: string }).problem, /check\('custom\.<name>'/);
  assert.match(
    (declarationOf([{ type: 'vor-check', description: 'headers.hsts' }]) as { problem: string }).problem,
    /neither a browser check/,
  );
});

test('the plan: replaced built-ins, files that do not load (ids read from their text), tests that declare nothing', () => {
  const dir = '/team/checks';
  const plan = planTeamChecks(
    dir,
    {
      tests: [
        { file: `${dir}/pay.spec.ts`, line: 3, title: 'pays', tags: ['@flow.payment'], annotations: annotationsOf(check('flow.payment')) },
        { file: `${dir}/pay.spec.ts`, line: 9, title: 'forgot', tags: [], annotations: [] },
      ],
    },
    [
      {
        file: `${dir}/broken.spec.ts`,
        line: 4,
        message: `SyntaxError: ${dir}/broken.spec.ts: Unexpected token (4:12)`,
        source: "check('custom.nightly', {",
      },
    ],
  );
  assert.deepEqual(plan.replaced, ['flow.payment']);
  assert.deepEqual(plan.ignore, [`${dir}/broken.spec.ts`]);
  const byId = new Map(plan.findings.map((f) => [f.id, f]));
  assert.equal(byId.get('custom.nightly')?.reason, 'spec_load_failed');
  assert.match(byId.get('custom.nightly')!.message, /^checks\/broken\.spec\.ts:4: .*SyntaxError: Unexpected token/);
  assert.equal(byId.get('custom.pay')?.reason, 'unmapped_test');
  assert.match(byId.get('custom.pay')!.message, /checks\/pay\.spec\.ts:9: test "forgot" declares no check/);
});

test('a load error is traced to the spec file of the folder, by location or by stack', () => {
  const dir = '/team/checks';
  assert.deepEqual(specFileOf(dir, { message: 'x', file: `${dir}/a.spec.ts`, line: 2 }), { file: `${dir}/a.spec.ts`, line: 2 });
  assert.deepEqual(
    specFileOf(dir, { message: 'Error: boom', file: `${dir}/helper.ts`, stack: `at ${dir}/helper.ts:1\nat ${dir}/b.spec.ts:7:3` }),
    {
      file: `${dir}/b.spec.ts`,
      line: 7,
    },
  );
  assert.equal(specFileOf(dir, { message: 'Error: no location' }), undefined);
  assert.deepEqual(idsInSource("check('custom.a', {}); check(\"flow.login\"); check('nonsense')"), ['custom.a', 'flow.login']);
  assert.equal(fileCheckId('/x/Today Balance.spec.ts'), 'custom.today_balance');
});

test('the run leaves out replaced built-in tests, the files that do not load, and tests that declare nothing', () => {
  const run = SmokeRunSchema.parse({
    baseUrl: 'https://app.test',
    apiUrl: 'https://app.test/api',
    loginUrl: 'https://app.test/api/login',
    outputDir: '/o',
    resultsFile: '/o/r.json',
    reportDir: '/o/p',
    authFile: '/o/a.json',
    chromium: { args: [] },
    teamChecks: { dir: '/team/checks', tsconfig: '/t.json', ignore: ['/team/checks/broken.spec.ts'], replaced: ['flow.payment'] },
  });
  const { projects, tsconfig } = withTeamChecks(run, [{ name: 'flows' }]);
  assert.equal(tsconfig, '/t.json');
  const [flows, team] = projects as [{ grepInvert: RegExp }, { grepInvert: RegExp; testIgnore: RegExp[] }];
  assert.ok(flows.grepInvert.test('payment succeeds @flow @critical @flow.payment'));
  assert.ok(!flows.grepInvert.test('logs in @flow @critical @flow.login'));
  assert.ok(team.grepInvert.test('forgot its check'));
  assert.ok(!team.grepInvert.test('balance @custom @critical'));
  assert.ok(!team.grepInvert.test('pays @flow @critical @flow.payment'));
  assert.ok(team.testIgnore.some((pattern) => pattern.test('/team/checks/broken.spec.ts')));
});

test("a team's test that hangs or throws is an error naming file and line; an assertion stays a failure", () => {
  const declaration = { id: 'custom.balance' as const, severity: 'critical' as const, checklist: ['S: item'] };
  const failed = { id: 'custom.balance' as const, status: 'fail' as const, reason: 'assertion_failed', message: 'm', evidence: {} };
  const base = { title: 'balance', declaration, place: 'checks/b.spec.ts:3', timeoutMs: 15_000 };
  const hung = teamFindingOf({ ...failed, reason: 'timeout' }, { ...base, lastStatus: 'timedOut' });
  assert.deepEqual([hung.status, hung.reason, hung.severity], ['error', 'timeout', 'critical']);
  assert.match(hung.message, /^checks\/b\.spec\.ts:3: "balance" did not finish within 15 s/);
  const threw = teamFindingOf(failed, {
    ...base,
    lastStatus: 'failed',
    errorPlace: 'checks/b.spec.ts:5',
    error: 'TypeError: x is undefined',
  });
  assert.deepEqual([threw.status, threw.reason], ['error', 'spec_error']);
  assert.match(threw.message, /^checks\/b\.spec\.ts:5: "balance" threw: TypeError: x is undefined/);
  const asserted = teamFindingOf(failed, { ...base, lastStatus: 'failed', failedCategory: 'expect' });
  assert.deepEqual([asserted.status, asserted.reason, asserted.checklist], ['fail', 'assertion_failed', ['S: item']]);
});
