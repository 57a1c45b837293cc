import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from '@playwright/test';
import { pickChromium } from '../smoke/chromium.js';
import type { CheckResult } from '../src/core/result.js';
import { loadChecklist } from '../src/report/checklist.js';
import { writeReportPdf } from '../src/report/pdf.js';
import { buildSummary } from '../src/report/summary.js';
import { writeRunReport } from '../src/report/write.js';
import { watchOfflinePage } from './helpers/offline-page.js';
import { checkResult } from './helpers/results.js';

const ARTIFACTS = path.resolve('test-results', 'report-html');
const LONG_URL = `https://127.0.0.1:8443/api/search?q=${'x'.repeat(180)}`;
const PLAYWRIGHT_ERROR = [
  'Error: expect(locator).toBeVisible() failed',
  '',
  "Locator: getByRole('heading', { name: 'Your accounts' })",
  'Expected: visible',
  'Received: <element(s) not found>',
  'Timeout: 5000ms',
  '',
  'Call log:',
  '  - Expect "toBeVisible" with timeout 5000ms',
  "  - waiting for getByRole('heading', { name: 'Your accounts' })",
].join('\n');

/** A NO-GO verify as the probes and flows really record their evidence. */
const results: CheckResult[] = [
  checkResult('headers.hsts', 'fail', { evidence: { url: ['https://127.0.0.1:8443/', LONG_URL], header: null } }),
  checkResult('health.endpoint', 'error', { evidence: { url: 'https://127.0.0.1:8443/health', status: 200, elapsedMs: 12 } }),
  checkResult('perf.bundle_size', 'warn'),
  checkResult('flow.login', 'fail', {
    durationMs: 5400,
    evidence: { error: PLAYWRIGHT_ERROR, failedStep: 'sign in', attempts: ['failed', 'failed'] },
  }),
  checkResult('flow.dashboard', 'fail', { evidence: { error: PLAYWRIGHT_ERROR } }),
  checkResult('cookies.secure', 'fail', {
    evidence: { cookies: [{ name: 'vor_session', source: 'login', secure: false, httpOnly: true, sameSite: 'lax' }] },
  }),
  checkResult('cors.origin_reflection', 'pass', {
    evidence: {
      exchanges: [{ origin: 'https://attacker.invalid', request: 'preflight', url: LONG_URL, status: 204, allowOrigin: null }],
    },
  }),
  checkResult('ratelimit.enforced', 'pass', {
    evidence: {
      url: 'https://127.0.0.1:8443/api/auth/login',
      statusCounts: { 401: 10, 429: 1 },
      rateLimitHeaders: { 'retry-after': '58' },
    },
  }),
  checkResult('compliance.cookie_consent', 'pass'),
  checkResult('headers.csp'),
  checkResult('flow.signup'),
];

let browser: Browser;
let dir: string;
let fullSizeBytes = 0;

before(async () => {
  const choice = pickChromium(process.env);
  browser = await chromium.launch({
    ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
    args: [...choice.args],
  });
  const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-html-'));
  const runId = '2026-11-28T10-00-00-000Z-verify';
  // Full-size failure screenshots as Playwright leaves them: one per attempt, each named test-failed-1.png.
  const shots: { id: string; path: string }[] = [];
  for (const id of ['flow.login', 'flow.dashboard']) {
    for (const folder of [`${id}-chromium`, `${id}-chromium-retry1`]) {
      const file = path.join(reportsDir, runId, 'smoke', 'test-results', folder, 'test-failed-1.png');
      mkdirSync(path.dirname(file), { recursive: true });
      await screenshotOfABusyPage(browser, file);
      fullSizeBytes += statSync(file).size;
      shots.push({ id, path: file });
    }
  }
  const summary = buildSummary({
    target: 'https://127.0.0.1:8443',
    startedAt: new Date('2026-11-28T10:00:00.000Z'),
    results,
    command: 'verify',
    checklist: { attestations: [], requireAttestations: false },
  });
  ({ dir } = await writeRunReport(summary, {
    reportsDir,
    runId,
    command: 'verify',
    attestations: [{ item: 'Database: Database backups configured (daily minimum)', by: 'Ops Lead', at: '2026-11-27' }],
    artifacts: { links: [], screenshots: shots, traces: [] },
  }));
});

after(async () => {
  await browser?.close();
});

async function screenshotOfABusyPage(b: Browser, file: string): Promise<void> {
  const page = await b.newPage({ viewport: { width: 1366, height: 900 } });
  await page.setContent(
    `<body style="margin:0"><canvas width="1366" height="900"></canvas><script>
      const c = document.querySelector('canvas').getContext('2d');
      for (let i = 0; i < 6000; i += 1) { c.fillStyle = 'hsl(' + (i * 37 % 360) + ',70%,' + (30 + i % 40) + '%)'; c.fillRect((i * 97) % 1366, (i * 53) % 900, 14, 9); }
      c.font = '28px sans-serif'; c.fillStyle = '#000'; c.fillText('Your accounts did not load', 40, 60);
    </script></body>`,
  );
  await page.screenshot({ path: file, fullPage: true });
  await page.close();
}

async function openReport(viewport: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport });
  const problems = await watchOfflinePage(page);
  await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
  return { page, problems };
}

async function assertVisible(locator: Locator): Promise<void> {
  assert.ok(await locator.first().isVisible(), `not visible: ${locator.toString()}`);
}

test('index.html opens from disk with no console errors and no sideways scrolling at 1366 and 390 px', { timeout: 90_000 }, async () => {
  for (const viewport of [
    { name: 'laptop', width: 1366, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    const { page, problems } = await openReport(viewport);
    await assertVisible(page.getByRole('heading', { level: 1, name: 'NO-GO' }));
    for (const section of loadChecklist())
      await assertVisible(page.getByRole('heading', { level: 3, name: `${section.part} — ${section.name}` }));
    await page.getByRole('heading', { level: 3, name: 'Pre-Deployment Checks — Database' }).click();
    await assertVisible(page.getByText('Attested by Ops Lead on 2026-11-27'));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS, `index-${viewport.name}.png`), fullPage: true });
    // Every folded section open too: evidence tables and long URLs must wrap, not widen the page.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${viewport.name}: the page scrolls sideways by ${overflow}px`);
    assert.deepEqual(problems, []);
    await page.close();
  }
});

test(
  'evidence reads as tables and lists; a Playwright failure as expected/received with the call log folded',
  { timeout: 60_000 },
  async () => {
    const { page } = await openReport({ width: 1366, height: 900 });
    const login = page.locator('#findings details[data-status]', { hasText: 'flow.login' });
    await assertVisible(login.getByText('expect(locator).toBeVisible() failed'));
    assert.equal(await login.locator('tr.pw-expected td').first().textContent(), 'visible');
    assert.equal(await login.locator('tr.pw-received td').first().textContent(), '<element(s) not found>');
    const callLog = login.locator('details.calllog').first();
    assert.equal(await callLog.evaluate((d) => (d as HTMLDetailsElement).open), false, 'call log folded');
    assert.ok(!(await login.textContent())?.includes('\\n'), 'no literal \\n');
    assert.ok(!(await page.content()).includes('&quot;Call log'), 'no JSON dump');
    await assertVisible(login.getByText('5.4 s'));

    const cookies = page.locator('#findings details[data-status]', { hasText: 'cookies.secure' });
    assert.deepEqual(await cookies.locator('table.grid thead th').allTextContents(), [
      'name',
      'source',
      'secure',
      'http only',
      'same site',
    ]);
    assert.deepEqual(await cookies.locator('table.grid tbody td').allTextContents(), ['vor_session', 'login', 'no', 'yes', 'lax']);
    const hsts = page.locator('#findings details[data-status]', { hasText: 'headers.hsts' });
    assert.equal(await hsts.locator('.list li').count(), 2, 'the URLs seen, as a list');
    await page.close();
  },
);

test(
  'screenshots: one labelled thumbnail per attempt, linking the full image; a NO-GO report with them stays under 300 KB',
  { timeout: 60_000 },
  async () => {
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    assert.ok(fullSizeBytes > 300_000, `the fixture screenshots weigh ${fullSizeBytes} bytes: inlined, they would break the budget`);
    assert.ok(Buffer.byteLength(html) < 300_000, `index.html is ${Buffer.byteLength(html)} bytes`);

    const { page } = await openReport({ width: 1366, height: 900 });
    const figures = page.locator('#findings figure');
    assert.equal(await figures.count(), 4);
    const captions = await figures.locator('figcaption').allTextContents();
    assert.equal(new Set(captions).size, 4, `distinct captions: ${captions.join(' | ')}`);
    assert.ok(captions.some((c) => c.startsWith('flow.login: attempt 1,')));
    assert.ok(captions.some((c) => c.startsWith('flow.login: attempt 2 (retry 1),')));
    for (const img of await figures.locator('img').all()) {
      assert.match((await img.getAttribute('src')) ?? '', /^data:image\/jpeg;base64,/);
      assert.ok((await img.evaluate((i) => (i as HTMLImageElement).naturalWidth)) <= 240, 'a thumbnail, not the full image');
    }
    const [popup] = await Promise.all([page.waitForEvent('popup'), figures.first().locator('img').click()]);
    const opened = fileURLToPath(popup.url());
    assert.ok(opened.endsWith('test-failed-1.png') && existsSync(opened), `clicking opens the full image: ${popup.url()}`);
    await popup.close();
    await page.close();
  },
);

test('filters: failures only, severity and checklist section, with inline script allowed by its hash', { timeout: 60_000 }, async () => {
  const { page, problems } = await openReport({ width: 1366, height: 900 });
  const visibleIds = async (selector: string) =>
    (await page.locator(`${selector}:visible code, ${selector}:visible strong`).allTextContents()).filter((t) =>
      /^[a-z]+\.[a-z_.]+$/.test(t),
    );
  await page.locator('#results details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
  assert.ok((await visibleIds('#results tr[data-status]')).includes('headers.csp'));

  await page.getByLabel('Failures only').check();
  const failing = await visibleIds('#results tr[data-status]');
  assert.ok(!failing.includes('headers.csp') && !failing.includes('perf.bundle_size'), failing.join(','));
  assert.ok(failing.includes('headers.hsts') && failing.includes('flow.login'));
  assert.equal(await page.locator('#findings details[data-status="warn"]').isVisible(), false);

  await page.getByRole('button', { name: 'Show all' }).click();
  await page.getByLabel('Severity').selectOption('critical');
  const critical = await visibleIds('#findings details[data-status] summary');
  assert.ok(
    critical.length > 0 && critical.every((id) => ['health.endpoint', 'flow.login', 'flow.dashboard'].includes(id)),
    critical.join(','),
  );

  await page.getByRole('button', { name: 'Show all' }).click();
  await page.getByLabel('Checklist section').selectOption('Compliance');
  assert.equal(await page.getByRole('heading', { level: 3, name: 'Pre-Deployment Checks — Compliance' }).isVisible(), true);
  assert.equal(await page.getByRole('heading', { level: 3, name: 'Pre-Deployment Checks — Security' }).isVisible(), false);
  assert.deepEqual(problems, []);
  await page.close();
});

test('--pdf prints the report through Chromium', { timeout: 60_000 }, async () => {
  const file = await writeReportPdf(dir, process.env);
  const bytes = readFileSync(file);
  assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
  assert.ok(bytes.length > 10_000, `${bytes.length} bytes`);
});
