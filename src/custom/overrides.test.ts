import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BUDGETS, DEFAULT_PROBE_OPTIONS } from '../config/schema.js';
import { specOf, type CheckId } from '../core/catalogue.js';
import { defineProbe } from '../core/probe.js';
import { createRedactor } from '../core/redact.js';
import { fail, pass } from '../core/result.js';
import { runProbes } from '../core/runner.js';
import { buildTarget } from '../core/target.js';
import { renderHtmlReport } from '../report/html.js';
import { buildSummary } from '../report/summary.js';
import { checkResult } from '../../test/helpers/results.js';
import { budgetsFor, overrideNotes, withConfigOverrides, withOverrides } from './overrides.js';
import { resolveCheckSettings } from './settings.js';

const settingsOf = (overrides: Record<string, unknown>, at = 'staging.yml: targets.0.') =>
  resolveCheckSettings([{ http: [], overrides, at }], {}).settings;
const targetWith = (overrides: Record<string, unknown>) =>
  buildTarget({ name: 'staging', baseUrl: 'https://127.0.0.1:9', publicApiPaths: [], routes: [], checkSettings: settingsOf(overrides) });

/** A family of two header checks that counts its runs and judges HSTS by the option it is given. */
function headerFamily() {
  const calls = { runs: 0 };
  const probe = defineProbe({
    name: 'headers',
    checks: ['headers.hsts', 'headers.permissions_policy'],
    run(ctx) {
      calls.runs += 1;
      return Promise.resolve([
        ctx.options.hstsMinMaxAgeSeconds > 31_536_000
          ? fail('headers.hsts', 'max_age_too_short', `max-age 31536000 < ${ctx.options.hstsMinMaxAgeSeconds}`)
          : pass('headers.hsts', 'HSTS ok'),
        fail('headers.permissions_policy', 'missing', 'no Permissions-Policy'),
      ]);
    },
  });
  return { probe, calls };
}

const run = (probe: ReturnType<typeof headerFamily>['probe'], overrides: Record<string, unknown>) =>
  runProbes({
    target: targetWith(overrides),
    probes: [withOverrides(probe)],
    options: { ...DEFAULT_PROBE_OPTIONS, retries: 0 },
    budgets: DEFAULT_BUDGETS,
    redactor: createRedactor([]),
    strict: true,
  });
const byId = (results: Awaited<ReturnType<typeof run>>, id: CheckId) => results.find((r) => r.id === id);

test('a switched-off check is a skip (switched_off) naming the file and field; the rest of its family is judged as usual', async () => {
  const { probe } = headerFamily();
  const results = await run(probe, { 'headers.permissions_policy': 'off' });
  const off = byId(results, 'headers.permissions_policy');
  assert.equal(off?.status, 'skip');
  assert.equal(off?.reason, 'switched_off');
  assert.match(off?.message ?? '', /switched off for staging by staging\.yml: targets\.0\.overrides\.headers\.permissions_policy/);
  assert.equal(byId(results, 'headers.hsts')?.status, 'pass');
});

test('a family whose every check is switched off sends nothing', async () => {
  const { probe, calls } = headerFamily();
  const results = await run(probe, { 'headers.permissions_policy': 'off', 'headers.hsts': 'off' });
  assert.equal(calls.runs, 0);
  assert.deepEqual(
    results.map((r) => [r.id, r.status, r.reason]),
    [
      ['headers.hsts', 'skip', 'switched_off'],
      ['headers.permissions_policy', 'skip', 'switched_off'],
    ],
  );
});

test('a parameter override is what the check is judged by, and a severity override is the record’s severity', async () => {
  const { probe } = headerFamily();
  const results = await run(probe, { 'headers.hsts': { hstsMinMaxAgeSeconds: 63_072_000, severity: 'low' } });
  const hsts = byId(results, 'headers.hsts');
  assert.equal(hsts?.status, 'fail', 'judged by the overridden minimum');
  assert.equal(hsts?.severity, 'low');
  assert.equal(byId(results, 'headers.permissions_policy')?.severity, specOf('headers.permissions_policy').severity, 'others keep theirs');
});

test('budget overrides reach the browser budgets; the report says what changed, from what, and by which file', () => {
  const target = targetWith({ 'perf.web_vitals': { lcpWarnMs: 2_000 }, 'headers.permissions_policy': 'off' });
  assert.equal(budgetsFor(DEFAULT_BUDGETS, target.checkSettings).lcpWarnMs, 2_000);
  assert.equal(budgetsFor(DEFAULT_BUDGETS, target.checkSettings).lcpFailMs, DEFAULT_BUDGETS.lcpFailMs);

  const overrides = overrideNotes(target, { budgets: DEFAULT_BUDGETS, probes: DEFAULT_PROBE_OPTIONS });
  assert.deepEqual(
    overrides.map((o) => [o.check, o.change, o.source]),
    [
      ['perf.web_vitals', 'lcpWarnMs 2500 → 2000', 'staging.yml: targets.0.overrides.perf.web_vitals'],
      ['headers.permissions_policy', 'switched off', 'staging.yml: targets.0.overrides.headers.permissions_policy'],
    ],
  );
  const results = withConfigOverrides([checkResult('headers.permissions_policy', 'fail', { target: target.origin })], [target]);
  assert.equal(results[0]?.status, 'skip', 'a browser or load record is switched off too');
  const summary = buildSummary({ target: target.origin, startedAt: new Date(), results, overrides });
  assert.deepEqual(summary.overrides, overrides);
  assert.equal(summary.verdict, 'pass', 'a switched-off failure does not block');
  const html = renderHtmlReport({ summary, attestations: [] });
  const section = /<section id="overrides">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  assert.match(section, /perf\.web_vitals<\/td><td>lcpWarnMs 2500 → 2000<\/td><td>staging\.yml: targets\.0\.overrides\.perf\.web_vitals/);
  assert.match(section, /headers\.permissions_policy<\/td><td>switched off/);
  assert.ok(!renderHtmlReport({ summary: { ...summary, overrides: [] }, attestations: [] }).includes('id="overrides"'));
});
