import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadLocalCa } from '../../target/ca.js';
import { LoadRecorder, type LoadSample } from '../sample.js';
import { MIN_CYCLE_LENGTH, repeatedCycle, runAutocannon } from './autocannon.js';
import { runClosed } from './closed.js';
import { POLLING_RATE, runOpen, wakesByPolling } from './open.js';
import { CLOSED_ENGINES, defaultIsFailure, type ClosedEngine, type EngineOptions, type EngineRun, type PreparedRequest } from './types.js';

/** Answers by path: framing the engines must follow (chunked, close-delimited, HEAD) and failures they must count. */
function handle(req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const path = req.url ?? '/';
  if (path === '/chunked') {
    res.write('part one, ');
    res.end('part two');
  } else if (path === '/close') {
    res.shouldKeepAlive = false;
    res.end('and the connection closes');
  } else if (path === '/down') {
    res.statusCode = 503;
    res.end('down');
  } else if (path === '/slow') {
    setTimeout(() => res.end('late'), 50);
  } else if (path === '/never') {
    // never answers
  } else if (req.method === 'HEAD') {
    res.setHeader('content-length', '1000');
    res.end();
  } else res.end('ok');
}

/** The paths each connection asked for, in order (the closed model's cycle test reads them). */
const pathsBySocket = new Map<object, string[]>();

let server: Server;
let origin: string;
before(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/seq/') === true) {
      const seen = pathsBySocket.get(req.socket) ?? [];
      pathsBySocket.set(req.socket, [...seen, req.url]);
    }
    handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const get = (path: string, method = 'GET'): PreparedRequest => ({ method, path, headers: {} });

function options(requests: PreparedRequest[], overrides: Partial<EngineOptions> = {}): EngineOptions {
  return {
    origin,
    requests,
    durationMs: 10_000,
    maxRequests: 200,
    connections: 4,
    timeoutMs: 5000,
    recorder: new LoadRecorder(1000),
    isFailure: defaultIsFailure,
    ...overrides,
  };
}

const ENGINES: Record<ClosedEngine, (options: EngineOptions) => EngineRun> = { 'vor-watch': runClosed, autocannon: runAutocannon };

async function closed(opts: EngineOptions, engine: ClosedEngine = 'vor-watch'): Promise<LoadSample> {
  await ENGINES[engine](opts).done;
  return opts.recorder.snapshot();
}

/** A port nothing listens on. */
async function refusedOrigin(): Promise<string> {
  const refused = createServer();
  await new Promise<void>((resolve) => refused.listen(0, '127.0.0.1', resolve));
  const port = (refused.address() as AddressInfo).port;
  await new Promise<void>((resolve) => refused.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

for (const engine of CLOSED_ENGINES) {
  describe(`closed model (${engine})`, () => {
    // Keep-alive answers with a length or chunks: framing both clients follow.
    it('sends exactly the request cap, cycling through the requests, each answer counted by status', { timeout: 20_000 }, async () => {
      const sample = await closed(options([get('/chunked'), get('/down')], { maxRequests: 200 }), engine);
      assert.equal(sample.overall.requests, 200);
      assert.deepEqual(sample.overall.outcomes, { '200': 100, '503': 100 });
      assert.equal(sample.overall.failed, 100);
    });

    it("each connection sends the scenario's requests in their order, cycle after cycle", { timeout: 20_000 }, async () => {
      pathsBySocket.clear();
      const scenario = [get('/seq/1'), get('/seq/2'), get('/seq/3')];
      const sample = await closed(options(scenario, { maxRequests: 300, connections: 2 }), engine);
      assert.equal(sample.overall.requests, 300);
      const sequences = [...pathsBySocket.values()];
      assert.equal(sequences.length, 2);
      for (const paths of sequences) {
        assert.ok(paths.length >= 100, `${paths.length} requests on one connection`);
        paths.forEach((path, i) => assert.equal(path, `/seq/${(i % 3) + 1}`, `request ${i} on its connection`));
      }
    });

    it('a refused connection counts as an error; the run ends at its duration', { timeout: 20_000 }, async () => {
      const started = performance.now();
      const sample = await closed(options([get('/')], { origin: await refusedOrigin(), durationMs: 500, maxRequests: 100_000 }), engine);
      assert.ok(sample.overall.requests >= 4, `${sample.overall.requests} attempts`);
      assert.deepEqual(Object.keys(sample.overall.outcomes), ['error']);
      assert.deepEqual(
        sample.failureCauses?.map((c) => c.reason),
        ['connection_refused'],
      );
      assert.ok(performance.now() - started < 5000, 'the run ended near its 500 ms duration');
    });
  });
}

describe('closed model on autocannon', () => {
  it('hands autocannon whole cycles of the scenario, at least MIN_CYCLE_LENGTH long', () => {
    assert.deepEqual(repeatedCycle([]), []);
    assert.deepEqual(repeatedCycle(['a']), Array<string>(MIN_CYCLE_LENGTH).fill('a'));
    const three = repeatedCycle(['a', 'b', 'c']);
    assert.equal(three.length, 3 * Math.ceil(MIN_CYCLE_LENGTH / 3));
    three.forEach((value, i) => assert.equal(value, ['a', 'b', 'c'][i % 3]));
    const long = Array.from({ length: 100 }, (_, i) => i);
    assert.deepEqual(repeatedCycle(long), long);
  });

  it('a request left unanswered counts as a timeout (autocannon: whole seconds), and the run still ends', { timeout: 20_000 }, async () => {
    const sample = await closed(options([get('/never')], { connections: 2, timeoutMs: 300, durationMs: 2500 }), 'autocannon');
    assert.ok((sample.overall.outcomes.timeout ?? 0) >= 2, JSON.stringify(sample.overall.outcomes));
    assert.equal(sample.overall.outcomes['200'], undefined);
    assert.ok(sample.overall.latency.max >= 1, `a timeout is timed at autocannon's limit, 1 s (${sample.overall.latency.max} s)`);
  });
});

describe('closed model on its own connections', () => {
  it(
    'frames what autocannon cannot: HEAD with a length, Connection: close, a body that runs to the close',
    { timeout: 20_000 },
    async () => {
      const sample = await closed(options([get('/', 'HEAD'), get('/close'), get('/chunked')], { maxRequests: 90, connections: 3 }));
      assert.deepEqual(sample.overall.outcomes, { '200': 90 });
      const raw = createNetServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nthe body ends with the connection'));
      });
      await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
      try {
        const toClose = await closed(
          options([get('/')], { origin: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`, maxRequests: 20 }),
        );
        assert.deepEqual(toClose.overall.outcomes, { '200': 20 });
      } finally {
        raw.close();
      }
    },
  );

  it("a request left unanswered times out at the timeout asked for, to the sweep's 100 ms", { timeout: 20_000 }, async () => {
    const sample = await closed(options([get('/never')], { connections: 2, timeoutMs: 300, durationMs: 1500 }));
    const timeouts = sample.overall.outcomes.timeout ?? 0;
    assert.ok(timeouts >= 4, `each connection timed out and sent again (${JSON.stringify(sample.overall.outcomes)})`);
    assert.ok(
      sample.overall.latency.p50 >= 0.3 && sample.overall.latency.max < 0.9,
      `timed at 300–400 ms (max ${sample.overall.latency.max} s)`,
    );
  });

  it('a stop ends the run at once, and the requests it cut short are not counted as failures', { timeout: 20_000 }, async () => {
    const controller = new AbortController();
    const opts = options([get('/slow')], { connections: 4, durationMs: 10_000, maxRequests: 100_000, signal: controller.signal });
    const started = performance.now();
    setTimeout(() => controller.abort(), 300);
    const sample = await closed(opts);
    assert.ok(performance.now() - started < 2000, 'stopped long before its 10 s duration');
    assert.ok(sample.overall.requests > 0);
    assert.equal(sample.overall.failed, 0, JSON.stringify(sample.overall.outcomes));
  });

  it('with think time each virtual user waits after its answer, and the wait is not latency', { timeout: 20_000 }, async () => {
    const opts = options([get('/')], { connections: 2, durationMs: 1000, maxRequests: 100_000 });
    const started = performance.now();
    await runClosed({ ...opts, thinkTimeMs: 200 }).done;
    const sample = opts.recorder.snapshot();
    // 2 users × (1 s / 0.2 s) ≈ 10; without the wait it would be thousands.
    assert.ok(sample.overall.requests >= 6 && sample.overall.requests <= 14, `${sample.overall.requests} requests`);
    assert.ok(sample.overall.latency.p50 < 0.1, `latency ${sample.overall.latency.p50} s leaves the think time out`);
    assert.ok(performance.now() - started < 3000, 'the run ended at its duration, with users still thinking');
  });

  it(
    "verifies the target's certificate: with its CA every answer counts, without it every request is an error",
    { timeout: 20_000 },
    async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'vor-closed-tls-'));
      const ca = loadLocalCa({ dir });
      const leaf = ca.issue({ profile: 'valid' });
      const secure = createHttpsServer({ key: leaf.keyPem, cert: leaf.chainPem }, (req, res) => {
        req.resume();
        res.end('ok');
      });
      await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
      const httpsOrigin = `https://127.0.0.1:${(secure.address() as AddressInfo).port}`;
      try {
        const trusted = await closed(options([get('/')], { origin: httpsOrigin, caPem: ca.caPem, maxRequests: 50 }));
        assert.deepEqual(trusted.overall.outcomes, { '200': 50 });
        const untrusted = await closed(options([get('/')], { origin: httpsOrigin, durationMs: 500, maxRequests: 50 }));
        assert.deepEqual(Object.keys(untrusted.overall.outcomes), ['error']);
        assert.equal(untrusted.failureCauses?.[0]?.reason, 'tls_handshake_failed', JSON.stringify(untrusted.failureCauses));
      } finally {
        secure.closeAllConnections();
        secure.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('open model', () => {
  it(
    'sends the scheduled number of requests over the same framing; none lost, send lag recorded for each',
    { timeout: 20_000 },
    async () => {
      const recorder = new LoadRecorder(1000, performance.now(), { waitForStart: true });
      await runOpen({ ...options([get('/'), get('/chunked'), get('/close'), get('/', 'HEAD')], { recorder, durationMs: 1000 }), rate: 200 })
        .done;
      const sample = recorder.snapshot();
      assert.equal(sample.overall.requests, 200);
      assert.deepEqual(sample.overall.outcomes, { '200': 200 });
      assert.equal(sample.sendLag?.count, 200);
      assert.equal(sample.serviceTime?.count, 200);
    },
  );

  it('from 1,000 requests a second it polls for the last millisecond before a due send; below, it only sets timers', () => {
    // Timers have 1 ms resolution: on timers alone every request would leave up to 1 ms late.
    assert.equal(POLLING_RATE, 1000);
    assert.equal(wakesByPolling(2000, 0.4), true);
    assert.equal(wakesByPolling(1000, 0), true);
    assert.equal(wakesByPolling(2000, 1), false, 'a millisecond or more away: a timer');
    assert.equal(wakesByPolling(999, 0.4), false, 'below the polling rate nothing spins');
  });

  /** Runs the open model at `rate` for `count` requests, counting the event-loop polls (setImmediate) it schedules. */
  async function countingPolls(rate: number, count: number): Promise<{ sample: LoadSample; polls: number }> {
    const original = globalThis.setImmediate;
    let polls = 0;
    globalThis.setImmediate = ((...args: Parameters<typeof setImmediate>) => {
      polls += 1;
      return original(...args);
    }) as typeof setImmediate;
    try {
      const recorder = new LoadRecorder(1000, performance.now(), { waitForStart: true });
      await runOpen({ ...options([get('/')], { recorder, durationMs: (count / rate) * 1000, maxRequests: count }), rate }).done;
      return { sample: recorder.snapshot(), polls };
    } finally {
      globalThis.setImmediate = original;
    }
  }

  it(
    'at a polled rate the engine polls, and every scheduled request goes out with its send lag and service time',
    { timeout: 20_000 },
    async () => {
      const { sample, polls } = await countingPolls(2000, 1000);
      assert.deepEqual(sample.overall.outcomes, { '200': 1000 });
      assert.equal(sample.sendLag?.count, 1000);
      assert.equal(sample.serviceTime?.count, 1000);
      assert.ok(polls >= 500, `the scheduler polled ${polls} times for 1,000 sends`);
    },
  );

  it('below the polling rate the engine schedules no polls', { timeout: 20_000 }, async () => {
    const { sample, polls } = await countingPolls(500, 250);
    assert.deepEqual(sample.overall.outcomes, { '200': 250 });
    assert.ok(polls < 25, `the scheduler polled ${polls} times for 250 sends at 500/s`);
  });

  it(
    'times each answer from its intended send (queueing included) and, apart, from its actual send (queueing excluded)',
    { timeout: 20_000 },
    async () => {
      // One connection, 50 ms an answer, 40 requests due over 1 s: the connection carries 20 a second,
      // so the later requests wait their turn for up to a second.
      const sample = await open(options([get('/slow')], { connections: 1, durationMs: 1000, maxRequests: 40 }), 40);
      assert.deepEqual(sample.overall.outcomes, { '200': 40 });
      assert.ok(
        sample.overall.latency.p99 >= 0.7,
        `latency from the intended send includes the queue (p99 ${sample.overall.latency.p99} s)`,
      );
      const service = sample.serviceTime;
      assert.ok(service !== undefined && service.count === 40, `service time recorded per answer (${service?.count})`);
      // The median, not the tail: one stall of this shared machine must not decide the test.
      assert.ok(service.p50 >= 0.045 && service.p50 < 0.2, `service time is the server's 50 ms (p50 ${service.p50} s)`);
      assert.ok(
        service.p50 < sample.overall.latency.p50 / 2,
        `the queue is left out (${service.p50} s against ${sample.overall.latency.p50} s)`,
      );
    },
  );

  async function open(opts: EngineOptions, rate: number): Promise<LoadSample> {
    await runOpen({ ...opts, rate }).done;
    return opts.recorder.snapshot();
  }

  it('a body that runs to the close (no length, no chunks) is an answer', { timeout: 20_000 }, async () => {
    const raw = createNetServer((socket) => {
      socket.once('data', () => socket.end('HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nthe body ends with the connection'));
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const sample = await open(
        options([get('/')], { origin: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`, durationMs: 500, maxRequests: 20 }),
        40,
      );
      assert.deepEqual(sample.overall.outcomes, { '200': 20 });
    } finally {
      raw.close();
    }
  });

  it('a request left unanswered counts as a timeout, timed from its intended send', { timeout: 20_000 }, async () => {
    const sample = await open(options([get('/never')], { connections: 2, timeoutMs: 300, durationMs: 500 }), 4);
    assert.deepEqual(sample.overall.outcomes, { timeout: 2 });
    assert.ok(sample.overall.latency.max >= 0.3, `a timeout is timed at the limit (${sample.overall.latency.max} s)`);
  });

  it('a refused connection counts as an error', { timeout: 20_000 }, async () => {
    const sample = await open(options([get('/')], { origin: await refusedOrigin(), durationMs: 500 }), 20);
    assert.deepEqual(sample.overall.outcomes, { error: 10 });
  });
});
