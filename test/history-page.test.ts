/**
 * Issue 18.2: the history page (vor-watch report) with 200 runs opens from disk in Chromium, with
 * no network and no errors, fits a phone's width, and loads quickly. The time bound here is
 * generous (a shared CI machine); `npm run bench:history` measures it against the 1 s goal.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { chromium } from '@playwright/test';
import { pickChromium } from '../smoke/chromium.js';
import { renderHistoryPage } from '../src/history/page.js';
import { HistoryStore } from '../src/history/store.js';
import { FLAKY_CHECK, seedHistory } from './helpers/history-fixture.js';
import { watchOfflinePage } from './helpers/offline-page.js';

test(
  'the history page of 200 runs loads from disk in Chromium, fits 390 px, and shows the flaky check first',
  { timeout: 90_000 },
  async () => {
    const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-history-browser-'));
    mkdirSync(reportsDir, { recursive: true });
    seedHistory(reportsDir, { runs: 200 });
    const file = path.join(reportsDir, 'history.html');
    const store = HistoryStore.open(reportsDir, { mustExist: true });
    try {
      writeFileSync(file, renderHistoryPage(store, { reportsDir, outFile: file }));
    } finally {
      store.close();
    }

    const choice = pickChromium(process.env);
    const browser = await chromium.launch({
      ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
      args: [...choice.args],
    });
    try {
      for (const viewport of [
        { width: 1366, height: 900 },
        { width: 390, height: 844 },
      ]) {
        const page = await browser.newPage({ viewport });
        const problems = await watchOfflinePage(page);
        const started = performance.now();
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        const loadMs = performance.now() - started;
        assert.ok(loadMs < 5_000, `loaded in ${Math.round(loadMs)} ms`);
        assert.equal(await page.locator('tr.run').count(), 200);
        assert.equal(
          await page.locator('details.target[data-target="production"] tr.check').first().locator('code').textContent(),
          FLAKY_CHECK,
        );
        const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
        assert.ok(widths.scroll <= widths.inner, `no horizontal overflow at ${viewport.width} px: ${widths.scroll} > ${widths.inner}`);
        assert.deepEqual(problems, []);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  },
);
