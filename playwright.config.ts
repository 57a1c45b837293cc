import { defineConfig } from '@playwright/test';
import { sharedBrowserConnection } from './smoke/browser/shared-browser.js';
import { readSmokeRun } from './smoke/run-config.js';
import { withTeamChecks } from './smoke/team-checks.js';

/**
 * The smoke suite. What it runs against comes from the file named by VOR_SMOKE_RUN (written by
 * `vor-watch smoke` / `verify`), or from VOR_BASE_URL when run by hand; credentials only from
 * VOR_TEST_USER_EMAIL / VOR_TEST_USER_PASSWORD. See smoke/README.md.
 */
const run = readSmokeRun(process.env);
// The team's own specs (checks.dir / --checks) join as a project of their own; README "Checks as code".
// The flows and browser checks are one project: a worker serves both, so none waits for a worker of its own.
const { tsconfig, projects } = withTeamChecks(run, [{ name: 'smoke', testMatch: /(flows|browser)\/.*\.spec\.ts$/ }]);

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
  // One sign-in of the test user for the whole run.
  globalSetup: './smoke/app/test-user-session.ts',
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
    // A browser the caller keeps warm (the monitor's); otherwise each worker launches its own.
    connectOptions: sharedBrowserConnection(process.env),
    launchOptions: {
      ...(run.chromium.executablePath === undefined ? {} : { executablePath: run.chromium.executablePath }),
      args: run.chromium.args,
    },
  },
  // No setup project: a failed sign-in (global setup, then the worker fixture) fails only the tests that
  // need a session, never the public-page checks.
  projects,
  ...(tsconfig === undefined ? {} : { tsconfig }),
});
