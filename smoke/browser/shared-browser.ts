import type { PlaywrightWorkerOptions } from '@playwright/test';
import { chromium } from '@playwright/test';
import { readSmokeRun } from '../run-config.js';

/**
 * Where the run's one browser listens. Set by the global setup in the runner, inherited by the
 * workers it starts afterwards; holds a random path, so only the run's own processes can connect.
 */
export const SHARED_BROWSER_ENV = 'VOR_SMOKE_BROWSER_WS';

/**
 * Global setup: one Chromium for the whole run, whatever the project or worker. A Chromium launch
 * costs a worker about two CPU seconds, and every worker (one per project, a new one after each
 * failed test) launched its own. Tests still get a fresh context each; a crashed renderer fails only
 * its own page. Returns the teardown that closes the browser.
 */
export default async function launchSharedBrowser(): Promise<() => Promise<void>> {
  // A browser kept warm by the caller between runs (the monitor, src/monitor/warm-browser.ts): connect to it.
  if ((process.env[SHARED_BROWSER_ENV] ?? '') !== '') return async () => undefined;
  const run = readSmokeRun(process.env);
  const server = await chromium.launchServer({
    ...(run.chromium.executablePath === undefined ? {} : { executablePath: run.chromium.executablePath }),
    args: run.chromium.args,
    headless: true,
    // Loopback only: the endpoint drives a browser that may hold a signed-in session.
    host: '127.0.0.1',
  });
  process.env[SHARED_BROWSER_ENV] = server.wsEndpoint();
  return async () => {
    delete process.env[SHARED_BROWSER_ENV];
    await server.close();
  };
}

/** For the config's `use.connectOptions`: evaluated again in each worker, where the setup's endpoint is set. */
export function sharedBrowserConnection(env: NodeJS.ProcessEnv): PlaywrightWorkerOptions['connectOptions'] {
  const wsEndpoint = env[SHARED_BROWSER_ENV];
  return wsEndpoint === undefined || wsEndpoint === '' ? undefined : { wsEndpoint };
}
