/** A plain-HTTP site on loopback and a Chromium to visit it with, for tests that drive a real browser. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { chromium, type Browser } from '@playwright/test';
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
