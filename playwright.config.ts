import { defineConfig } from '@playwright/test';
import { readSmokeRun } from './smoke/run-config.js';

/**
 * The smoke suite. What it runs against comes from the file named by VOR_SMOKE_RUN (written by
 * `vor-watch smoke` / `verify`), or from VOR_BASE_URL when run by hand; credentials only from
 * VOR_TEST_USER_EMAIL / VOR_TEST_USER_PASSWORD. See smoke/README.md.
 */
const run = readSmokeRun(process.env);

export default defineConfig({
  testDir: './smoke',
  outputDir: run.outputDir,
  fullyParallel: true,
  forbidOnly: true,
  retries: run.retries,
  workers: run.workers,
  timeout: run.testTimeoutMs,
  expect: { timeout: 5_000 },
  reportSlowTests: null,
  reporter: [['list'], ['html', { outputFolder: run.reportDir, open: 'never' }], ['./smoke/reporter.ts', { resultsFile: run.resultsFile }]],
  use: {
    baseURL: run.baseUrl,
    ignoreHTTPSErrors: run.ignoreHttpsErrors,
    // Evidence on failure only; runSmoke scrubs secrets out of traces and reports afterwards.
    trace: run.trace,
    screenshot: 'only-on-failure',
    video: run.video ? 'retain-on-failure' : 'off',
    serviceWorkers: 'block',
    // A missing element fails its step well within the test's timeout, naming the profile field it came from.
    actionTimeout: Math.min(10_000, Math.round(run.testTimeoutMs / 2)),
    navigationTimeout: Math.min(15_000, run.testTimeoutMs),
    launchOptions: {
      ...(run.chromium.executablePath === undefined ? {} : { executablePath: run.chromium.executablePath }),
      args: run.chromium.args,
    },
  },
  // No setup project: the test user signs in on first use (a worker fixture), so a failed sign-in
  // fails only the tests that need a session, never the public-page checks.
  projects: [
    { name: 'flows', testMatch: /flows\/.*\.spec\.ts$/ },
    { name: 'browser', testMatch: /browser\/.*\.spec\.ts$/ },
  ],
});
