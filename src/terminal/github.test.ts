import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { checkResult } from '../../test/helpers/results.js';
import { createRedactor } from '../core/redact.js';
import type { CheckResult, RunSummary } from '../core/result.js';
import { escapeData, escapeProperty, reportToGithub, workflowCommand } from './github.js';

const SECRET = 'hunter2-Very-Secret-42';
const workspace = mkdtempSync(path.join(tmpdir(), 'vor-gh-'));
const dir = path.join(workspace, 'reports', '2026-01-01T00-00-00-000Z-verify');

const summaryOf = (results: CheckResult[]): RunSummary => ({
  tool: 'vor-watch',
  version: '0.0.0',
  target: 'https://shop.test',
  startedAt: new Date(0).toISOString(),
  durationMs: 12_300,
  verdict: results.some((r) => r.status === 'fail' || r.status === 'error') ? 'fail' : 'pass',
  results,
  command: 'verify',
  suite: 'all',
});

async function runUnderActions(results: CheckResult[], env: NodeJS.ProcessEnv): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  await reportToGithub({ summary: summaryOf(results), dir, redactor: createRedactor([SECRET]) }, env, out, '/elsewhere');
  return text;
}

test('workflow commands escape %, CR and LF in the message, and also : and , in properties (GitHub docs)', () => {
  assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
  assert.equal(escapeProperty('https://a.test, b: c'), 'https%3A//a.test%2C b%3A c');
  assert.equal(
    workflowCommand('error', { file: 'reports/x/index.html', title: 'headers.hsts fail on https://a.test' }, 'line one\n::warning::forged'),
    '::error file=reports/x/index.html,title=headers.hsts fail on https%3A//a.test::line one%0A::warning::forged',
  );
  assert.equal(workflowCommand('warning', { file: undefined }, 'm'), '::warning::m');
});

test('under GITHUB_ACTIONS, an annotation per failing root cause and per warning, and a Markdown step summary appended to the file', async () => {
  const summaryFile = path.join(workspace, 'step-summary.md');
  writeFileSync(summaryFile, '# earlier step\n');
  const dns = (id: CheckResult['id']) =>
    checkResult(id, 'error', {
      reason: 'dns_failed',
      target: 'https://shop.test',
      message: `headers probe of https://shop.test could not be evaluated: dns_failed (ENOTFOUND: getaddrinfo ENOTFOUND shop.test)`,
    });
  const results = [
    checkResult('health.endpoint', 'pass'),
    checkResult('flow.login', 'fail', { target: 'https://shop.test', message: `login refused | 50% of tries <b>bold</b> with ${SECRET}` }),
    dns('headers.hsts'),
    dns('headers.csp'),
    dns('headers.frame_options'),
    checkResult('headers.referrer_policy', 'warn', { reason: 'weak', target: 'https://shop.test', message: 'Referrer-Policy: unsafe-url' }),
  ];
  const out = await runUnderActions(results, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: workspace });

  const annotations = out.trimEnd().split('\n');
  assert.deepEqual(
    annotations.map((l) => l.slice(0, l.indexOf(' '))),
    ['::error', '::error', '::warning'],
    out,
  );
  const file = 'file=reports/2026-01-01T00-00-00-000Z-verify/index.html';
  assert.ok(
    annotations.every((l) => l.includes(file)),
    out,
  );
  assert.match(annotations[0]!, /title=flow\.login fail on https%3A\/\/shop\.test::login refused \| 50%25 of tries/);
  assert.match(
    annotations[1]!,
    /title=3 checks error on https%3A\/\/shop\.test \(headers ×3\)::one root cause: ENOTFOUND.*%0Afix: the host name/,
  );
  assert.ok(!out.includes(SECRET), 'the secret is masked in annotations');

  const markdown = readFileSync(summaryFile, 'utf8');
  assert.ok(markdown.startsWith('# earlier step\n## vor-watch verify: NO-GO'), markdown);
  assert.match(markdown, /\| 1 \| 1 \| 1 \| 3 \| 0 \|/);
  assert.match(
    markdown,
    /\| fail \| flow\.login \| \w+ \| login refused \\\| 50% of tries &lt;b&gt;bold&lt;\/b&gt; with \\\[redacted\\\] \|/,
  );
  assert.match(
    markdown,
    /\| error \| 3 checks: headers ×3 \| \w+ \| one root cause: ENOTFOUND: getaddrinfo ENOTFOUND shop\.test; fix: the host name/,
  );
  assert.match(markdown, /Report: `reports\/2026-01-01T00-00-00-000Z-verify\/index\.html`/);
  assert.ok(!markdown.includes(SECRET));
});

test('outside GitHub Actions nothing is printed or written; an unwritable summary file is a warning', async () => {
  const failing = [checkResult('headers.hsts', 'fail')];
  assert.equal(await runUnderActions(failing, { GITHUB_STEP_SUMMARY: path.join(workspace, 'never.md') }), '');
  const out = await runUnderActions(failing, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: path.join(workspace, 'no', 'such', 'dir.md') });
  // The report outside the workspace: its absolute path.
  assert.ok(out.startsWith(`::error file=${escapeProperty(path.join(dir, 'index.html'))},title=`), out);
  assert.match(out, /vor-watch: the GitHub step summary could not be written/);
});

test('more than ten failing root causes: nine annotations and a tenth counting the rest (GitHub shows ten per step)', async () => {
  const ids = [
    'headers.hsts',
    'headers.csp',
    'headers.frame_options',
    'headers.referrer_policy',
    'headers.permissions_policy',
    'headers.x_powered_by',
    'headers.server_version',
    'cookies.secure',
    'cookies.httponly',
    'cookies.samesite',
    'cors.null_origin',
    'cors.origin_reflection',
  ] as const;
  const out = await runUnderActions(
    ids.map((id, i) => checkResult(id, 'fail', { message: `wrong in way number ${i}` })),
    { GITHUB_ACTIONS: 'true' },
  );
  const lines = out.trimEnd().split('\n');
  assert.equal(lines.length, 10);
  assert.match(lines[9]!, /title=3 more failing checks::see the step summary/);
});
