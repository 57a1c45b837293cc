import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import * as hdr from 'hdr-histogram-js';
import { runClosed } from '../load/engines/closed.js';
import { runOpen } from '../load/engines/open.js';
import { defaultIsFailure, type EngineOptions } from '../load/engines/types.js';
import { LoadRecorder } from '../load/sample.js';

/**
 * A server that stalls like a GC pause: every 100th request it serves takes 1 s, and every
 * request that arrives meanwhile waits behind it. It logs each request's arrival and answer,
 * which is the truth a load tool's percentiles should match.
 */
function stallingServer(): Promise<{ server: Server; origin: string; log: { arrived: number; answered: number }[] }> {
  const log: { arrived: number; answered: number }[] = [];
  let served = 0;
  let stalledUntil = 0;
  const server = createServer((req, res) => {
    const arrived = performance.now();
    req.resume();
    const answer = () => {
      res.end('ok');
      log.push({ arrived, answered: performance.now() });
    };
    const serve = () => {
      served += 1;
      if (served % 100 === 0) {
        stalledUntil = performance.now() + 1000;
        setTimeout(answer, 1000);
      } else answer();
    };
    const wait = stalledUntil - performance.now();
    if (wait > 0) setTimeout(serve, wait);
    else serve();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, log })),
  );
}

const p99Of = (latenciesMs: readonly number[]): number => {
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  for (const ms of latenciesMs) h.recordValue(Math.max(1, Math.round(ms * 1000)));
  return h.getValueAtPercentile(99) / 1e6;
};

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

const engineOptions = (origin: string, recorder: LoadRecorder, durationMs: number, connections: number): EngineOptions => ({
  origin,
  requests: [{ method: 'GET', path: '/', headers: {} }],
  durationMs,
  maxRequests: 100_000,
  connections,
  timeoutMs: 5000,
  recorder,
  isFailure: defaultIsFailure,
});

test('open model p99 matches the server-side truth under 1-in-100 stalls; the closed model hides them', { timeout: 20_000 }, async () => {
  // Open model: 40 req/s for 6 s; enough connections that no request queues in the client.
  const open = await stallingServer();
  let trueP99: number;
  let openP99: number;
  try {
    const recorder = new LoadRecorder(1000);
    await runOpen({ ...engineOptions(open.origin, recorder, 6000, 64), rate: 40 }).done;
    const sample = recorder.snapshot();
    openP99 = sample.overall.latency.p99;
    trueP99 = p99Of(open.log.map((e) => e.answered - e.arrived));
    assert.equal(sample.overall.failed, 0);
    assert.ok(open.log.length >= 200, `server saw ${open.log.length} requests`);
  } finally {
    open.server.closeAllConnections();
    await close(open.server);
  }
  if (process.env.VOR_DEBUG === '1') console.log({ trueP99, openP99 });
  assert.ok(trueP99 > 0.5, `the stalls dominate the true p99 (${trueP99} s)`);
  // 20 %: the open model's own send lag on the few requests that set the tail may add a little on a
  // busy machine; the closed model below understates it by more than half.
  assert.ok(Math.abs(openP99 - trueP99) / trueP99 <= 0.2, `open p99 ${openP99} s within 20 % of the true ${trueP99} s`);

  // Closed model against the same kind of server: the stalled connection just stops asking.
  const closed = await stallingServer();
  try {
    const recorder = new LoadRecorder(1000);
    await runClosed(engineOptions(closed.origin, recorder, 3000, 1)).done;
    const closedP99 = recorder.snapshot().overall.latency.p99;
    if (process.env.VOR_DEBUG === '1') console.log({ closedP99, closedRequests: recorder.count });
    assert.ok(recorder.count >= 200, `closed run made ${recorder.count} requests`);
    assert.ok(Math.abs(closedP99 - trueP99) / trueP99 > 0.1, `closed p99 ${closedP99} s is not within 10 % of the true ${trueP99} s`);
    assert.ok(closedP99 < trueP99 / 2, `closed p99 ${closedP99} s understates the true ${trueP99} s`);
  } finally {
    closed.server.closeAllConnections();
    await close(closed.server);
  }
});
