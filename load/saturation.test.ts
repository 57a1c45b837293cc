import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { fail, pass, type Finding } from '../src/core/result.js';
import { runOpen } from './engines/open.js';
import { renderLoadHtml } from './report/html.js';
import { buildLoadReport } from './report/load-report.js';
import { renderLoadMarkdown } from './report/markdown.js';
import { defaultIsFailure } from './engines/types.js';
import { LoadRecorder, type LoadSample } from './sample.js';
import { generatorHealth, qualifyLatencyFindings, sendLagBound } from './saturation.js';
import { defaultThresholds } from './scenarios/types.js';

const thresholds = defaultThresholds(10);

function sampleWithLag(p99: number): LoadSample {
  return {
    ...new LoadRecorder(1000).snapshot(),
    sendLag: { count: 100, p50: p99 / 2, p99, max: p99 },
    serviceTime: { count: 100, p50: 0.0123, p99: 0.0456, max: 0.05 },
  };
}

describe('generator saturation', () => {
  it('the bound is 10 ms or 5 % of the tightest latency threshold, whichever is larger', () => {
    assert.ok(Math.abs(sendLagBound(thresholds) - 0.15) < 1e-9); // 5 % of p95 < 3 s
    assert.equal(sendLagBound([{ id: 'load.latency_p95', metric: 'latencyP95Seconds', below: 0.1 }]), 0.01);
    assert.equal(sendLagBound([]), 0.01);
  });

  it('only the open model (which has a schedule) is judged; a lag over the bound is saturation', () => {
    assert.equal(generatorHealth(new LoadRecorder(1000).snapshot(), thresholds), undefined);
    assert.equal(generatorHealth(sampleWithLag(0.14), thresholds)?.saturated, false);
    assert.equal(generatorHealth(sampleWithLag(0.16), thresholds)?.saturated, true);
  });

  it('a saturated run turns latency passes into warnings and latency failures into errors; other checks keep their status', () => {
    const health = generatorHealth(sampleWithLag(0.5), thresholds);
    const findings: Finding[] = [
      pass('load.latency_p95', 'p95 latency 10 ms holds', {}),
      fail('load.latency_p99', 'above_limit', 'p99 latency 6 s breaks', {}),
      fail('load.error_rate', 'above_limit', 'error rate 9 % breaks', {}),
      pass('load.throughput', 'throughput holds', {}),
    ];
    const qualified = qualifyLatencyFindings(findings, health);
    assert.deepEqual(
      qualified.map((f) => [f.id, f.status, f.reason]),
      [
        ['load.latency_p95', 'warn', 'generator_saturated'],
        ['load.latency_p99', 'error', 'generator_saturated'],
        ['load.error_rate', 'fail', 'above_limit'],
        ['load.throughput', 'pass', undefined],
      ],
    );
    assert.match(qualified[0]?.message ?? '', /generator saturated: latency figures include the generator's own delay/);
    assert.equal(qualified[0]?.evidence.generatorSaturated, true);
    assert.deepEqual(qualifyLatencyFindings(findings, generatorHealth(sampleWithLag(0.001), thresholds)), findings);
  });
});

function quickServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    req.resume();
    res.end('ok');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

async function openRun(origin: string, rate: number, durationMs: number): Promise<LoadSample> {
  const recorder = new LoadRecorder(1000, performance.now(), { waitForStart: true });
  await runOpen({
    origin,
    requests: [{ method: 'GET', path: '/', headers: {} }],
    durationMs,
    maxRequests: 10_000,
    connections: 8,
    timeoutMs: 5000,
    recorder,
    isFailure: defaultIsFailure,
    rate,
  }).done;
  return recorder.snapshot();
}

describe('the open model measures its own send lag', () => {
  it('a CPU-bound busy loop in the same process starves the generator, and the run says so', { timeout: 30_000 }, async () => {
    const { server, origin } = await quickServer();
    try {
      // 150 ms of blocked event loop every 200 ms: requests due meanwhile go out late, by up to 150 ms.
      const busy = setInterval(() => {
        const until = performance.now() + 150;
        while (performance.now() < until);
      }, 200);
      let starved: LoadSample;
      try {
        starved = await openRun(origin, 100, 1500);
      } finally {
        clearInterval(busy);
      }
      assert.ok(starved.sendLag !== undefined, 'the open model records send lag');
      assert.ok(starved.sendLag.count >= 100, `lag recorded per request (${starved.sendLag.count})`);
      assert.ok(starved.sendLag.p99 >= 0.1, `starved lag p99 ${starved.sendLag.p99} s`);
      const tight = [{ id: 'load.latency_p95', metric: 'latencyP95Seconds', below: 0.5 }] as const;
      assert.equal(generatorHealth(starved, tight)?.saturated, true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('an unstarved generator is not flagged', () => {
  it('a modest rate with nothing else on the event loop keeps its schedule', { timeout: 30_000 }, async () => {
    const { server, origin } = await quickServer();
    try {
      // 150 sends, so that the p99 is not simply the one latest send.
      const calm = await openRun(origin, 100, 1500);
      assert.ok(calm.sendLag !== undefined && calm.sendLag.count >= 140, `lag recorded (${calm.sendLag?.count})`);
      // The default thresholds' bound (150 ms): far above a timer's lateness, even on a busy shared machine.
      assert.equal(generatorHealth(calm, thresholds)?.saturated, false, `calm lag p99 ${calm.sendLag.p99} s`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the load report states the generator health', () => {
  it('load.md and load.html say when latency figures include the generator delay, and that it kept its schedule otherwise', () => {
    for (const [lag, expected] of [
      [0.5, /generator saturated: latency figures include the generator/],
      [0.001, /the generator kept its schedule/],
    ] as const) {
      const sample = sampleWithLag(lag);
      const generator = generatorHealth(sample, thresholds);
      const report = buildLoadReport({
        scenario: 'browse',
        model: 'open',
        target: 'https://127.0.0.1:1',
        startedAt: new Date(0),
        plannedDurationSeconds: 2,
        connections: 8,
        windowSeconds: 1,
        rate: 100,
        sample,
        ...(generator === undefined ? {} : { generator }),
      });
      assert.match(renderLoadMarkdown(report), expected);
      assert.match(renderLoadHtml(report), expected);
      for (const text of [renderLoadMarkdown(report), renderLoadHtml(report)])
        assert.match(text, /timed from the actual send, as closed-loop tools time it \(no queueing\): p50 12\.3 ms, p99 45\.6 ms/);
    }
  });
});
