/**
 * Benchmark (not a timed test): `npx tsx bench/smoke.ts [--rounds N] [--workers N]`
 *
 * Runs the whole smoke suite (every flow and browser check, default retries and tracing)
 * against the reference target started in this process, and prints:
 *   - browser launch: cold launch of the Chromium the suite would pick, to the first blank page;
 *   - per check: the test time Playwright measured (its fixtures and page loads included);
 *   - total: wall time of runSmoke, split into the Playwright child and the artifact scrub.
 * Goal (issue 5): the whole suite under 30 s on a 2-core machine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { DEFAULT_BUDGETS } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { pickChromium } from '../smoke/chromium.js';
import { runSmoke } from '../smoke/run.js';
import { startTarget } from '../target/server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '1' }, workers: { type: 'string', default: '2' } } });
const rounds = Number(values.rounds);
const workers = Number(values.workers);
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function measureLaunch(): Promise<number> {
  const choice = pickChromium(process.env);
  const started = performance.now();
  const browser = await chromium.launch({
    ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
    args: [...choice.args],
  });
  const page = await browser.newPage();
  await page.goto('about:blank');
  const elapsed = performance.now() - started;
  await browser.close();
  return elapsed;
}

const target = await startTarget({ quiet: true });
try {
  const launches = [await measureLaunch(), await measureLaunch(), await measureLaunch()];
  console.log(
    `browser: ${pickChromium(process.env).source}; launch to first page ${launches.map(seconds).join(', ')} (cores: ${os.cpus().length}, load ${os.loadavg()[0]?.toFixed(2)})`,
  );
  const smokeTarget = buildTarget(
    { baseUrl: target.baseUrl, httpUrl: target.httpUrl, caFile: target.caFile, publicApiPaths: [], routes: [] },
    target.testUser,
  );
  for (let round = 1; round <= rounds; round += 1) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vor-bench-smoke-'));
    try {
      const outcome = await runSmoke({
        target: smokeTarget,
        budgets: DEFAULT_BUDGETS,
        outputDir: dir,
        redactor: createRedactor([target.testUser.password]),
        env: process.env,
        workers,
      });
      console.log(`\nround ${round}: ${outcome.results.length} checks, ${outcome.results.filter((r) => r.status === 'pass').length} pass`);
      for (const r of [...outcome.results].sort((a, b) => b.durationMs - a.durationMs)) {
        console.log(`  ${r.id.padEnd(34)} ${seconds(r.durationMs).padStart(8)}  ${r.status}`);
      }
      console.log(
        `  total wall ${seconds(outcome.durationMs)} (Playwright child ${seconds(outcome.phasesMs.playwright)}, scrub ${seconds(outcome.phasesMs.scrub)}); goal < 30 s`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  await target.close();
}
