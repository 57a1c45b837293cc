/** A plain-HTTP site on loopback and a Chromium to visit it with, for tests that drive a real browser. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { pickChromium } from '../../smoke/chromium.js';

/** Chromium as the smoke run picks it (Debian's here, Playwright's own elsewhere). */
export function launchTestChromium(): Promise<Browser> {
  const choice = pickChromium(process.env);
  return chromium.launch({
    ...(choice.executablePath === undefined ? {} : { executablePath: choice.executablePath }),
    args: [...choice.args],
    timeout: 30_000,
  });
}

/** Serves `handler` on a free loopback port; close() also ends the connections a test left hanging. */
export async function serveSite(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ readonly baseUrl: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    baseUrl: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export interface BrowserSite {
  readonly browser: Browser;
  readonly baseUrl: string;
  /** A fresh browser context on the site for `use`, closed afterwards whatever happens. */
  inNewContext<T>(use: (context: BrowserContext) => Promise<T>): Promise<T>;
}

/** Serves `handler` and launches Chromium before the suite's tests, and closes both after them (node:test hooks). */
export function useBrowserSite(handler: (req: IncomingMessage, res: ServerResponse) => void): BrowserSite {
  let site: Awaited<ReturnType<typeof serveSite>> | undefined;
  let browser: Browser | undefined;
  before(async () => {
    site = await serveSite(handler);
    browser = await launchTestChromium();
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
  const ready = () => {
    if (site === undefined || browser === undefined) throw new Error('useBrowserSite: read the site inside a test, not while declaring it');
    return { site, browser };
  };
  return {
    get browser() {
      return ready().browser;
    },
    get baseUrl() {
      return ready().site.baseUrl;
    },
    async inNewContext(use) {
      const { site: served, browser: launched } = ready();
      const context = await launched.newContext({ baseURL: served.baseUrl });
      try {
        return await use(context);
      } finally {
        await context.close();
      }
    },
  };
}
