import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSummary } from './summary.js';
import { renderHtmlReport } from './html.js';
import { checkResult } from '../../test/helpers/results.js';

const ITEM = 'Database: Database backups configured (daily minimum)';
const summary = buildSummary({
  target: 'https://127.0.0.1:8443',
  startedAt: new Date('2026-11-28T10:00:00.000Z'),
  results: [checkResult('headers.csp')],
});
const render = (link: string) => renderHtmlReport({ summary, attestations: [{ item: ITEM, by: 'Ops Lead', at: '2026-11-27', link }] });

test('an attestation link that is not http(s) is never rendered as href', () => {
  for (const link of [
    'javascript:alert(document.cookie)',
    'JavaScript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
  ]) {
    const html = render(link);
    assert.doesNotMatch(html, /href="\s*(javascript|data|vbscript):/i, link);
    assert.ok(!html.includes(link.slice(0, 14)), `${link} quoted in the page`);
    assert.match(html, /link omitted: only http\(s\) links are shown/);
  }
});

test('an http(s) attestation link is still a link', () => {
  assert.match(render('https://wiki.example/backups'), /href="https:\/\/wiki\.example\/backups"/);
});
