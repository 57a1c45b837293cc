import type { PlaywrightWorkerOptions } from '@playwright/test';

/**
 * Where a browser kept warm by the caller listens (the monitor, src/monitor/warm-browser.ts); the
 * workers connect to it instead of launching their own. A smoke run sets none: each worker launches
 * its own Chromium, because over a connection the Playwright server side of every worker (protocol,
 * tracing) runs in the one process that launched the browser, and on 2 cores the suite measured
 * slower that way (bench/smoke.ts: 159–187 s against 116 s on the same busy machine).
 */
export const SHARED_BROWSER_ENV = 'VOR_SMOKE_BROWSER_WS';

/** For the config's `use.connectOptions`: evaluated again in each worker, which inherits the endpoint. */
export function sharedBrowserConnection(env: NodeJS.ProcessEnv): PlaywrightWorkerOptions['connectOptions'] {
  const wsEndpoint = env[SHARED_BROWSER_ENV];
  return wsEndpoint === undefined || wsEndpoint === '' ? undefined : { wsEndpoint };
}
