import type { BrowserServer } from '@playwright/test';

/**
 * One Chromium the monitor keeps between its browser runs: each run connects to it (the run's global
 * setup then launches none) instead of paying a browser launch every interval. A browser that died
 * is launched again before the next run.
 */
export class WarmBrowser {
  private server: BrowserServer | undefined;

  constructor(private readonly baseEnv: NodeJS.ProcessEnv) {}

  /** The environment of a browser run that connects to the warm browser. */
  async env(): Promise<NodeJS.ProcessEnv> {
    const { SHARED_BROWSER_ENV } = await import('../../smoke/browser/shared-browser.js');
    if (this.server === undefined || this.server.process().exitCode !== null || this.server.process().signalCode !== null) {
      await this.server?.close().catch(() => undefined);
      this.server = await this.launch();
    }
    return { ...this.baseEnv, [SHARED_BROWSER_ENV]: this.server.wsEndpoint() };
  }

  async close(): Promise<void> {
    await this.server?.close().catch(() => undefined);
    this.server = undefined;
  }

  private async launch(): Promise<BrowserServer> {
    const [{ chromium }, { pickChromium }, { BROWSER_HEAP_FLAG }] = await Promise.all([
      import('@playwright/test'),
      import('../../smoke/chromium.js'),
      import('../../smoke/run.js'),
    ]);
    const choice = pickChromium(this.baseEnv);
    return chromium.launchServer({
      ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
      args: [...choice.args, BROWSER_HEAP_FLAG],
      headless: true,
      // Loopback only, on a random path: the endpoint drives a browser that may hold a signed-in session.
      host: '127.0.0.1',
    });
  }
}
