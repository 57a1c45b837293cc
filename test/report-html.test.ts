import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium, type Locator } from '@playwright/test';
import { pickChromium } from '../smoke/chromium.js';
import { loadChecklist } from '../src/report/checklist.js';
import { buildSummary } from '../src/report/summary.js';
import { writeRunReport } from '../src/report/write.js';
import { checkResult } from './helpers/results.js';

const ARTIFACTS = path.resolve('test-results', 'report-html');

test(
  'index.html opens from disk in Chromium with no console errors, showing the verdict and every checklist section',
  { timeout: 90_000 },
  async () => {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-html-'));
    const summary = buildSummary({
      target: 'https://127.0.0.1:8443',
      startedAt: new Date('2026-11-28T10:00:00.000Z'),
      results: [
        checkResult('headers.hsts', 'fail'),
        checkResult('health.endpoint', 'error'),
        checkResult('perf.bundle_size', 'warn'),
        checkResult('flow.login', 'skip'),
        checkResult('headers.csp'),
        checkResult('flow.signup'),
      ],
    });
    const { dir } = await writeRunReport(summary, {
      reportsDir,
      command: 'verify',
      attestations: [{ item: 'Database: Database backups configured (daily minimum)', by: 'Ops Lead', at: '2026-11-27' }],
    });

    const choice = pickChromium(process.env);
    const browser = await chromium.launch({
      ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
      args: [...choice.args],
    });
    try {
      for (const viewport of [
        { name: 'laptop', width: 1366, height: 900 },
        { name: 'phone', width: 390, height: 844 },
      ]) {
        const page = await browser.newPage({ viewport });
        const problems: string[] = [];
        page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
        page.on('pageerror', (error) => problems.push(error.message));
        // No network at all: a self-contained page must not need it.
        await page.route(/^(?!file:)/, (route) => {
          problems.push(`network request to ${route.request().url()}`);
          return route.abort();
        });
        await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
        await assertVisible(page.getByRole('heading', { level: 1, name: 'NO-GO' }));
        for (const section of loadChecklist())
          await assertVisible(page.getByRole('heading', { level: 3, name: `${section.part} — ${section.name}` }));
        await assertVisible(page.getByText('Attested by Ops Lead on 2026-11-27'));
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, `index-${viewport.name}.png`), fullPage: true });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 1, `${viewport.name}: the page scrolls sideways by ${overflow}px`);
        assert.deepEqual(problems, []);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  },
);

async function assertVisible(locator: Locator): Promise<void> {
  assert.ok(await locator.first().isVisible(), `not visible: ${locator.toString()}`);
}
