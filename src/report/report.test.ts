import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { checkResult } from '../../test/helpers/results.js';
import { evaluateChecklist, loadChecklist } from './checklist.js';
import { renderHtmlReport } from './html.js';
import { renderJunit } from './junit.js';
import { assertValidSummary, buildSummary, RunSummarySchema } from './summary.js';
import { writeRunReport } from './write.js';

const XSD = readFileSync(new URL('../../test/fixtures/junit.xsd', import.meta.url), 'utf8');
const startedAt = new Date('2026-11-28T10:00:00.000Z');
const results = [
  checkResult('headers.hsts', 'fail'),
  checkResult('health.endpoint', 'error'),
  checkResult('headers.referrer_policy', 'warn'),
  checkResult('flow.login', 'skip'),
  checkResult('headers.csp'),
];
const summary = buildSummary({ target: 'https://127.0.0.1:8443', startedAt, results, now: new Date('2026-11-28T10:00:01.834Z') });

test('buildSummary gives the contract shape and the NO-GO verdict for a failing run', () => {
  assert.equal(summary.tool, 'vor-watch');
  assert.equal(summary.verdict, 'fail');
  assert.equal(summary.durationMs, 1834);
  assert.ok(RunSummarySchema.safeParse(summary).success);
});

test('a summary that breaks the contract is refused before it is written', () => {
  assert.throws(() => assertValidSummary({ ...summary, results: [{ ...results[0], reason: undefined }] }), /needs a reason/);
  assert.throws(() => assertValidSummary({ ...summary, results: [{ ...results[0], id: 'headers.nope' }] }), /results\.0\.id/);
  assert.throws(() => assertValidSummary({ ...summary, verdict: 'GO' }), /verdict/);
});

test('junit.xml validates against the JUnit schema CI systems read', async () => {
  const xml = renderJunit(summary);
  const validation = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [XSD] });
  assert.ok(validation.valid, validation.rawOutput);
});

test('junit.xml maps fail → failure, error → error, skip → skipped, one testcase per result', () => {
  const xml = renderJunit(summary);
  assert.equal(xml.match(/<testcase /g)?.length, results.length);
  assert.match(xml, /<testcase name="headers\.hsts"[^>]*>\s*<failure message="[^"]*" type="missing">/);
  assert.match(xml, /<testcase name="health\.endpoint"[^>]*>\s*<error message="[^"]*" type="timeout">/);
  assert.match(xml, /<testcase name="flow\.login"[^>]*>\s*<skipped /);
  assert.match(xml, /<testsuites name="vor-watch" tests="5" failures="1" errors="1" skipped="1"/);
});

test('the schema check really rejects an invalid JUnit file', async () => {
  const validation = await validateXML({
    xml: [{ fileName: 'bad.xml', contents: '<testsuites><testsuite><testcase/></testsuite></testsuites>' }],
    schema: [XSD],
  });
  assert.equal(validation.valid, false);
});

test('the HTML report escapes what the target sent and shows verdict, findings and every checklist section', () => {
  const hostile = checkResult('headers.csp', 'fail', {
    message: '<script>alert(1)</script> on https://127.0.0.1:8443/',
    evidence: { header: '"><img src=x onerror=alert(1)>' },
  });
  const html = renderHtmlReport({ summary: { ...summary, results: [...results, hostile] }, attestations: [] });
  assert.ok(!html.includes('<script>alert(1)</script>'));
  assert.ok(!html.includes('<img src=x'));
  assert.match(html, /<h1 id="verdict">NO-GO<\/h1>/);
  for (const section of loadChecklist()) assert.ok(html.includes(section.name.replace('&', '&amp;')), section.name);
  assert.match(html, /Send Strict-Transport-Security/, 'remediation shown');
});

test('manual checklist items show their attestation, or "not attested"', () => {
  const rows = evaluateChecklist(loadChecklist(), results, [
    {
      item: 'Database: Database backups configured (daily minimum)',
      by: 'Ops Lead',
      at: '2026-11-27',
      link: 'https://wiki.example/backups',
    },
  ]).flatMap((g) => g.rows);
  assert.equal(rows.find((r) => r.item.text.startsWith('Database backups'))?.state, 'attested');
  assert.equal(rows.find((r) => r.item.text.startsWith('Read replicas'))?.state, 'not_attested');
  assert.equal(rows.find((r) => r.item.text === 'HTTPS configured for all endpoints')?.state, 'fail');
  assert.equal(rows.find((r) => r.item.text === 'Rate limiting configured')?.state, 'not_run');
});

test('writeRunReport writes the run folder, repoints latest, and compares with the previous run', async () => {
  const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-reports-'));
  const first = await writeRunReport(summary, { reportsDir, command: 'probe' });
  assert.equal(readlinkSync(path.join(reportsDir, 'latest')), first.runId);
  const fixed = buildSummary({
    target: summary.target,
    startedAt: new Date('2026-11-28T11:00:00.000Z'),
    results: results.map((r) => (r.id === 'headers.hsts' ? checkResult('headers.hsts') : r)),
  });
  const second = await writeRunReport(fixed, { reportsDir, command: 'probe' });
  assert.equal(readlinkSync(path.join(reportsDir, 'latest')), second.runId);
  const html = readFileSync(path.join(second.dir, 'index.html'), 'utf8');
  assert.match(html, /<strong>Fixed:<\/strong> headers\.hsts @ https:\/\/127\.0\.0\.1:8443/);
  assert.deepEqual(JSON.parse(readFileSync(path.join(second.dir, 'summary.json'), 'utf8')).results.length, results.length);
});
