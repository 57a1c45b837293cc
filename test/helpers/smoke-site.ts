/**
 * A small HTTPS site (certificate from the local CA) and one smoke run against it, for the tests
 * that judge a browser check on pages written for the case.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BUDGETS } from '../../src/config/schema.js';
import { createRedactor } from '../../src/core/redact.js';
import { buildTarget } from '../../src/core/target.js';
import type { CheckResult } from '../../src/core/result.js';
import { runSmoke, type SmokeOptions } from '../../smoke/run.js';
import { loadLocalCa } from '../../target/ca.js';

export type SmokeRunTweaks = Pick<SmokeOptions, 'grep' | 'timeoutMs' | 'testTimeoutMs'> & { readonly routes?: readonly string[] };

/** Serves `handler` over HTTPS, runs the smoke checks `tweaks.grep` selects against it (one worker, no retries), cleans up. */
export async function runSmokeOnSite(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  tweaks: SmokeRunTweaks,
): Promise<readonly CheckResult[]> {
  const ca = loadLocalCa();
  const leaf = ca.issue();
  const sockets = new Set<Socket>();
  const server: Server = createServer({ key: leaf.keyPem, cert: leaf.chainPem }, handler);
  server.on('secureConnection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-smoke-site-'));
  try {
    const { routes = [], ...rest } = tweaks;
    const outcome = await runSmoke({
      target: buildTarget({ baseUrl: `https://127.0.0.1:${port}`, caFile: ca.caFile, publicApiPaths: [], routes: [...routes] }),
      budgets: DEFAULT_BUDGETS,
      outputDir: dir,
      redactor: createRedactor([]),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      workers: 1,
      retries: 0,
      ...rest,
    });
    return outcome.results;
  } finally {
    await rm(dir, { recursive: true, force: true });
    for (const socket of sockets) socket.destroy();
    server.close();
  }
}
