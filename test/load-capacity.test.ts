import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createRedactor } from '../src/core/redact.js';
import { buildTarget } from '../src/core/target.js';
import { runLoad } from '../load/run.js';
import { defaultThresholds, defineScenario } from '../load/scenarios/types.js';

/**
 * Serves one request at a time, 7.5 ms each: about 133 req/s, whatever the client asks for. The
 * doubling steps then fall well either side of it: 80 req/s is 60 % of it (a stall of this shared
 * machine is absorbed), 160 req/s is more than it can ever deliver (at most 83 % of the rate).
 */
function serialServer() {
  let busyUntil = 0;
  const server = createServer((req, res) => {
    req.resume();
    const now = performance.now();
    busyUntil = Math.max(now, busyUntil) + 7.5;
    setTimeout(() => res.end('ok'), busyUntil - now);
  });
  return new Promise<{ origin: string; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => {
          server.closeAllConnections();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

test('capacity search steps the rate up and reports the highest rate that held', { timeout: 60_000 }, async () => {
  const server = await serialServer();
  const dir = mkdtempSync(path.join(tmpdir(), 'vor-load-capacity-'));
  try {
    const out = await runLoad({
      target: buildTarget({ baseUrl: server.origin, environment: 'test', publicApiPaths: [], routes: [] }),
      scenario: defineScenario({
        name: 'serial',
        description: 'one path',
        requests: [{ method: 'GET', base: 'site', path: '/' }],
        defaults: { durationSeconds: 24, connections: 50 },
        thresholds: defaultThresholds(1),
      }),
      // 2-s steps (the search fits 12 steps into the duration)
      durationSeconds: 24,
      connections: 50,
      capacity: true,
      rate: 20,
      timeoutMs: 3000,
      redactor: createRedactor(),
      outputDir: dir,
    });
    const capacity = out.report.capacity;
    assert.ok(capacity !== undefined);
    assert.deepEqual(
      capacity.steps.map((s) => s.rate),
      [20, 40, 80, 160],
    );
    assert.deepEqual(
      capacity.steps.map((s) => s.held),
      [true, true, true, false],
    );
    assert.equal(capacity.highestHeldRate, 80);
    assert.ok(capacity.steps[3]?.breaches.includes('load.throughput'));
    const throughput = out.results.find((r) => r.id === 'load.throughput');
    assert.equal(throughput?.evidence.capacityRps, 80);
    assert.match(readFileSync(path.join(dir, 'load.md'), 'utf8'), /the highest rate that held was \*\*80 req\/s\*\*/);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
