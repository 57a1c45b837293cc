/**
 * Issue 16 item 2 with a real browser: a page that serves a gzip bomb and never finishes keeps the
 * browser busy until the check gives up or the run's time limit; after it, no process of the run is alive, what it
 * wrote fits its disk limit, and every check still has its result.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DEFAULT_BUDGETS } from '../src/config/schema.js';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { loadLocalCa } from '../target/ca.js';
import { runSmoke } from './run.js';
import { bytesUnder } from './run-limits.js';
import { aliveInGroups } from '../test/helpers/processes.js';

const MB = 1024 * 1024;

test(
  'a gzip bomb that never ends: the run stops at its limit, leaves no process alive and stays within its disk limit',
  { timeout: 240_000 },
  async () => {
    // 64 MB of page behind 64 KB on the wire (a lighter 1:1000 bomb), and then the answer never ends.
    const bomb = gzipSync(Buffer.concat([Buffer.from('<!doctype html><html><body><main><h1>bomb</h1><p>'), Buffer.alloc(64 * MB, 0x20)]), {
      level: 1,
    });
    const ca = loadLocalCa();
    const leaf = ca.issue();
    const server: Server = createServer({ key: leaf.keyPem, cert: leaf.chainPem }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      res.write(bomb);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const dir = await mkdtemp(path.join(os.tmpdir(), 'vor-smoke-bomb-'));
    const maxDiskBytes = 50 * MB;
    // The run's private temp folder (TMPDIR of the runner, workers and browsers) goes under a folder of this test:
    // its survivors are found in /proc by it, whatever the code's own list of groups says.
    const tmpRoot = await mkdtemp(path.join(os.tmpdir(), 'vor-smoke-bomb-tmp-'));
    const previousTmpDir = process.env.TMPDIR;
    process.env.TMPDIR = tmpRoot;
    try {
      const outcome = await runSmoke({
        target: buildTarget({ baseUrl: `https://127.0.0.1:${port}`, caFile: ca.caFile, publicApiPaths: [], routes: [] }),
        budgets: DEFAULT_BUDGETS,
        outputDir: dir,
        redactor: createRedactor([]),
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
        grep: 'every route|routes\\.reachable',
        workers: 1,
        retries: 0,
        trace: 'on',
        timeoutMs: 45_000,
        testTimeoutMs: 180_000,
        limits: { maxRssBytes: 4096 * MB, maxDiskBytes },
      });
      const groups = outcome.processGroups ?? [];
      assert.ok(groups.length >= 2, `the runner's group and the browser's: ${groups.join(', ')}`);
      assert.deepEqual(aliveInGroups(groups), [], 'no process of the run outlives it');
      assert.deepEqual(processesUnder(tmpRoot), [], 'no process with the run temp folder outlives it');
      const routes = outcome.results.find((r) => r.id === 'routes.reachable');
      // Either the run's limit stops it (error/budget_exceeded) or the check's own request gives up on
      // the endless answer first (fail, a timeout): never a pass, and a result either way.
      assert.ok(
        (routes?.status === 'error' && routes.reason === 'budget_exceeded') ||
          (routes?.status === 'fail' && /timeout/i.test(routes.message)),
        JSON.stringify(routes),
      );
      assert.ok(bytesUnder([dir]) <= maxDiskBytes, `${Math.round(bytesUnder([dir]) / MB)} MB left on disk`);
    } finally {
      if (previousTmpDir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmpDir;
      await rm(tmpRoot, { recursive: true, force: true });
      server.closeAllConnections();
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  },
);

/** Live processes whose TMPDIR or browser profile (--user-data-dir) is under `root`, read from /proc: "pid args" each. */
function processesUnder(root: string): string[] {
  const read = (file: string): string[] => {
    try {
      return readFileSync(file, 'utf8').split('\0');
    } catch {
      return []; // ended, or another user's
    }
  };
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((pid) => !/\) [ZX] /.test(read(`/proc/${pid}/stat`).join('')))
    .filter((pid) => {
      const args = read(`/proc/${pid}/cmdline`);
      return (
        read(`/proc/${pid}/environ`).some((v) => v.startsWith(`TMPDIR=${root}`)) ||
        args.some((a) => a.startsWith(`--user-data-dir=${root}`))
      );
    })
    .map((pid) => `${pid} ${read(`/proc/${pid}/cmdline`).join(' ')}`);
}
