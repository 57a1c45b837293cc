import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkResult } from '../../test/helpers/results.js';
import { CHECK_IDS } from '../core/catalogue.js';
import type { Attestation } from '../core/result.js';
import { countCoverage, coverageHeadline, evaluateChecklist, loadChecklist, openManualItems } from './checklist.js';
import { PARTIAL_PROOF } from './checklist-proof.js';
import { findLastRun, parseLaunchDay } from './launch-day.js';
import { CHECKLIST_FILE } from './checklist.js';
import { readFileSync } from 'node:fs';
import { assertValidSummary, buildSummary } from './summary.js';

const everyCheckPasses = CHECK_IDS.map((id) => checkResult(id));
const rowsOf = (results = everyCheckPasses, attestations: readonly Attestation[] = []) =>
  evaluateChecklist(loadChecklist(), results, attestations).flatMap((g) => g.rows);
const rowFor = (rows: ReturnType<typeof rowsOf>, key: string) => {
  const row = rows.find((r) => r.item.key === key);
  assert.ok(row, key);
  return row;
};

test('items whose checks prove only part of them stay partial, naming what is proven and what is not', () => {
  const rows = rowsOf();
  for (const key of [
    'Third-Party Integrations: Analytics configured (Google Analytics, Mixpanel, etc.)',
    'Compliance: GDPR compliance verified',
    'Third-Party Integrations: Payment provider (Stripe) configured for production',
    'Third-Party Integrations: Plaid production credentials configured',
  ]) {
    const row = rowFor(rows, key);
    assert.equal(row.state, 'partial', key);
    assert.equal(row.coverage, 'partial', key);
    assert.ok(row.proof && row.proof.proven.length > 0 && row.proof.notProven.length > 0, key);
  }
  assert.match(
    rowFor(rows, 'Third-Party Integrations: Analytics configured (Google Analytics, Mixpanel, etc.)').proof?.notProven ?? '',
    /after consent/,
  );
  const hsts = rowFor(rows, 'Security: HTTPS configured for all endpoints');
  assert.equal(hsts.state, 'pass');
  assert.equal(hsts.coverage, 'proven');
});

test('every partial-proof entry names a checklist item that has checks', () => {
  const rows = rowsOf();
  for (const key of Object.keys(PARTIAL_PROOF)) assert.ok(rowFor(rows, key).checkIds.length > 0, key);
});

test('a warning is not proof; an attestation completes a partial item; a failing check outweighs any attestation', () => {
  const gdpr = 'Compliance: GDPR compliance verified';
  const attested = rowsOf(everyCheckPasses, [{ item: gdpr, by: 'DPO', at: '2026-11-27' }]);
  assert.equal(rowFor(attested, gdpr).coverage, 'attested');

  const failing = everyCheckPasses.map((r) => (r.id === 'compliance.cookie_consent' ? checkResult(r.id, 'fail') : r));
  const failed = rowsOf(failing, [{ item: gdpr, by: 'DPO', at: '2026-11-27' }]);
  assert.equal(rowFor(failed, gdpr).state, 'fail');
  assert.equal(rowFor(failed, gdpr).coverage, 'failing');

  const warned = everyCheckPasses.map((r) => (r.id === 'static.cdn' ? checkResult(r.id, 'warn') : r));
  assert.equal(rowFor(rowsOf(warned), 'Infrastructure: CDN configured for static assets').coverage, 'partial');
});

test('the headline counts every one of the 79 items once', () => {
  const groups = evaluateChecklist(loadChecklist(), everyCheckPasses, [
    { item: 'Database: Database backups configured (daily minimum)', by: 'Ops', at: '2026-11-27' },
  ]);
  const counts = countCoverage(groups);
  assert.equal(counts.total, 79);
  assert.equal(counts.proven + counts.partial + counts.attested + counts.failing + counts.open, 79);
  assert.equal(counts.attested, 1);
  assert.equal(counts.partial, Object.keys(PARTIAL_PROOF).length);
  assert.equal(coverageHeadline(counts), `${counts.proven} proven, ${counts.partial} partial, 1 attested, ${counts.open} open of 79`);
  assert.match(coverageHeadline({ ...counts, failing: 2 }), /, 2 failing, /);
  assert.ok(openManualItems(groups).every((row) => row.checkIds.length === 0 && row.attestation === undefined));
});

test('--require-attestations: open manual items make an all-pass run NO-GO; summary.json carries the checklist state', () => {
  const startedAt = new Date('2026-11-28T10:00:00.000Z');
  const lenient = buildSummary({
    target: 'https://t',
    startedAt,
    results: everyCheckPasses,
    checklist: { attestations: [], requireAttestations: false },
  });
  assert.equal(lenient.verdict, 'pass');
  const strict = buildSummary({
    target: 'https://t',
    startedAt,
    results: everyCheckPasses,
    checklist: { attestations: [], requireAttestations: true },
  });
  assert.equal(strict.verdict, 'fail');
  assert.ok(strict.checklist?.openManualItems.includes('Database: Database backups configured (daily minimum)'));
  assert.ok(!strict.checklist?.openManualItems.includes('Security: HTTPS configured for all endpoints'));

  const all = (strict.checklist?.openManualItems ?? []).map((item) => ({ item, by: 'Lead', at: '2026-11-28' }));
  const attested = buildSummary({
    target: 'https://t',
    startedAt,
    results: everyCheckPasses,
    checklist: { attestations: all, requireAttestations: true },
  });
  assert.equal(attested.verdict, 'pass');
  assert.deepEqual(attested.checklist?.openManualItems, []);

  const json = JSON.parse(JSON.stringify(assertValidSummary(strict)));
  assert.equal(json.checklist.items.length, 79);
  const analytics = json.checklist.items.find((i: { item: string }) => i.item.startsWith('Third-Party Integrations: Analytics'));
  assert.equal(analytics.coverage, 'partial');
  assert.match(analytics.notProven, /after consent/);
  assert.match(json.checklist.headline, / of 79$/);
});

test("the launch-day timeline links each row to the command that covers it and that run's last result; contacts are read", () => {
  const { timeline, contacts } = parseLaunchDay(readFileSync(CHECKLIST_FILE, 'utf8'));
  assert.equal(timeline.length, 8);
  assert.deepEqual(
    timeline.map((row) => row.coveredBy?.invocation),
    [
      'vor-watch verify --suite security',
      undefined,
      undefined,
      'vor-watch verify --suite backend',
      'vor-watch verify --suite frontend',
      'vor-watch gate --for 30m',
      'vor-watch monitor',
      'vor-watch verify',
    ],
  );
  assert.deepEqual(
    contacts.map((c) => c.role),
    ['DevOps Lead', 'Backend Lead', 'Frontend Lead', 'Security'],
  );

  const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-timeline-'));
  const write = (runId: string, summary: object | undefined) => {
    mkdirSync(path.join(reportsDir, runId));
    if (summary !== undefined) writeFileSync(path.join(reportsDir, runId, 'summary.json'), JSON.stringify(summary));
  };
  write('2026-11-28T08-00-00-000Z-verify', { verdict: 'fail', suite: 'security', startedAt: '2026-11-28T08:00:00.000Z' });
  write('2026-11-28T09-00-00-000Z-verify', { verdict: 'pass', suite: 'security', startedAt: '2026-11-28T09:00:00.000Z' });
  write('2026-11-28T10-00-00-000Z-verify', { verdict: 'fail', suite: 'backend', startedAt: '2026-11-28T10:00:00.000Z' });
  write('2026-11-28T11-00-00-000Z-probe', { verdict: 'fail', startedAt: '2026-11-28T11:00:00.000Z' });
  write('2026-11-28T12-00-00-000Z-verify', undefined); // still running
  const security = findLastRun(reportsDir, { command: 'verify', suite: 'security', invocation: '' });
  assert.equal(security?.runId, '2026-11-28T09-00-00-000Z-verify');
  assert.equal(security?.verdict, 'pass');
  assert.equal(security?.href, '../2026-11-28T09-00-00-000Z-verify/index.html');
  assert.equal(findLastRun(reportsDir, { command: 'verify', suite: 'backend', invocation: '' })?.verdict, 'fail');
  assert.equal(findLastRun(reportsDir, { command: 'gate', invocation: '' }), undefined);
});

test('the report shows the coverage headline, what a partial item lacks, the timeline with last results, the contacts and the attestation NO-GO', async () => {
  const { renderHtmlReport } = await import('./html.js');
  const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-timeline-html-'));
  mkdirSync(path.join(reportsDir, '2026-11-28T09-00-00-000Z-verify'));
  writeFileSync(
    path.join(reportsDir, '2026-11-28T09-00-00-000Z-verify', 'summary.json'),
    JSON.stringify({ verdict: 'fail', suite: 'security', startedAt: '2026-11-28T09:00:00.000Z' }),
  );
  const summary = buildSummary({
    target: 'https://t',
    startedAt: new Date('2026-11-28T10:00:00.000Z'),
    results: everyCheckPasses,
    checklist: { attestations: [], requireAttestations: true },
  });
  const html = renderHtmlReport({ summary, attestations: [], reportsDir });
  assert.ok(summary.checklist);
  assert.ok(html.includes(`Checklist: ${summary.checklist.headline}`));
  assert.match(html, /<strong>Not proven:<\/strong> analytics loads and records events after consent/);
  assert.match(html, /NO-GO for launch day:<\/strong> \d+ manual checklist items are not attested/);
  assert.match(
    html,
    /<code>vor-watch verify --suite security<\/code><\/td>\s*<td><a href="\.\.\/2026-11-28T09-00-00-000Z-verify\/index\.html"><span class="badge fail">NO-GO<\/span>/,
  );
  assert.match(html, /<code>vor-watch verify --suite backend<\/code><\/td>\s*<td><span class="muted">no run recorded<\/span>/);
  assert.match(html, /<td>Security<\/td><td>TBD<\/td>/);
});

test('requireAttestations comes from the config file or VOR_REQUIRE_ATTESTATIONS=true; off by default', async () => {
  const { resolveConfig } = await import('../config/resolve.js');
  const cwd = mkdtempSync(path.join(tmpdir(), 'vor-require-'));
  writeFileSync(path.join(cwd, 'vor.yml'), 'requireAttestations: true\n');
  assert.equal(resolveConfig({ flags: {}, env: {}, cwd }).requireAttestations, false);
  assert.equal(resolveConfig({ flags: { config: 'vor.yml' }, env: {}, cwd }).requireAttestations, true);
  assert.equal(resolveConfig({ flags: {}, env: { VOR_REQUIRE_ATTESTATIONS: 'true' }, cwd }).requireAttestations, true);
});
