/**
 * How fast the history page (vor-watch report) renders and loads in Chromium (goal: 200 runs
 * under 1 s). Usage: npm run bench:history -- [--runs 200] [--rounds 5]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { pickChromium } from '../smoke/chromium.js';
import { renderHistoryPage } from '../src/history/page.js';
import { HistoryStore } from '../src/history/store.js';
import { seedHistory } from '../test/helpers/history-fixture.js';
import { median, reportGoal } from './goals.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, rounds: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const rounds = Number(values.rounds);
const reportsDir = mkdtempSync(path.join(tmpdir(), 'vor-bench-history-'));
seedHistory(reportsDir, { runs });
const file = path.join(reportsDir, 'history.html');

const renderMs: number[] = [];
const loadMs: number[] = [];
const choice = pickChromium(process.env);
const browser = await chromium.launch({
  ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
  args: [...choice.args],
});
try {
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const store = HistoryStore.open(reportsDir, { mustExist: true });
    writeFileSync(file, renderHistoryPage(store, { reportsDir, outFile: file }));
    store.close();
    renderMs.push(performance.now() - started);
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const navigation = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    loadMs.push(performance.now() - navigation);
    await page.close();
  }
} finally {
  await browser.close();
  rmSync(reportsDir, { recursive: true, force: true });
}
console.log(`history page, ${runs} runs, ${rounds} rounds`);
console.log(`  render (vor-watch report's work): median ${median(renderMs).toFixed(0)} ms, max ${Math.max(...renderMs).toFixed(0)} ms`);
console.log(
  `  Chromium load from disk:          median ${median(loadMs).toFixed(0)} ms, max ${Math.max(...loadMs).toFixed(0)} ms (goal < 1000 ms)`,
);
reportGoal({
  bench: 'history',
  goal: `history page (${runs} runs) loaded from disk in Chromium`,
  measured: Number((median(loadMs) / 1000).toFixed(3)),
  target: 1,
  unit: 's',
  better: 'lower',
  detail: `median of ${rounds}; max ${(Math.max(...loadMs) / 1000).toFixed(3)} s; rendering the page (vor-watch report's work) median ${median(renderMs).toFixed(0)} ms`,
});
