import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import { healthProbe } from './probe.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench();
});
after(() => bench.close());

test('health.endpoint passes on the clean reference target', { timeout: 15_000 }, async () => {
  const result = resultFor(await bench.run(healthProbe), 'health.endpoint');
  assert.equal(result.status, 'pass', result.message);
});

const cases = [
  { faults: { health_503: true }, status: 'fail', reason: 'bad_status' },
  { faults: { health_dependency_down: true }, status: 'fail', reason: 'down' },
  // Slow (over 1 s) but well inside the health timeout, so a stall of this machine cannot make it a timeout.
  { faults: { healthDelayMs: 1_200 }, status: 'warn', reason: 'slow', options: { healthTimeoutMs: 5_000 } },
] as const;

for (const c of cases) {
  test(`health.endpoint is ${c.status}/${c.reason} against the target with ${JSON.stringify(c.faults)}`, { timeout: 15_000 }, async () => {
    const result = resultFor(await bench.run(healthProbe, c.faults, 'options' in c ? c.options : {}), 'health.endpoint');
    assert.equal(result.status, c.status, result.message);
    assert.equal(result.reason, c.reason, result.message);
  });
}

test('health.endpoint fails with timeout (not error) when /health hangs, within the health timeout', { timeout: 15_000 }, async () => {
  const started = performance.now();
  const result = resultFor(await bench.run(healthProbe, { health_hang: true }, { healthTimeoutMs: 500 }), 'health.endpoint');
  assert.equal(result.status, 'fail', result.message);
  assert.equal(result.reason, 'timeout');
  // Under the default health timeout (2 s), so a probe that ignored the setting would fail here.
  assert.ok(performance.now() - started < 500 + 1300, `took ${performance.now() - started} ms`);
});

test('a health check that fails once and passes on retry says so in its evidence', { timeout: 15_000 }, async () => {
  // Every second request stalls past the health timeout: the first attempt times out, the retry answers.
  const result = resultFor(
    await bench.run(healthProbe, { stallEvery: 2, stallMs: 3_000 }, { healthTimeoutMs: 600, retries: 1 }),
    'health.endpoint',
  );
  if (result.status === 'pass') {
    assert.equal(result.evidence.passedOnRetry, true);
    assert.equal((result.evidence.firstAttempt as { reason: string }).reason, 'timeout');
  } else {
    assert.fail(`expected a pass on retry, got ${result.status}: ${result.message}`);
  }
});
