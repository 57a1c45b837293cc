import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import { rateLimitProbe } from './probe.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench({ rateLimitPerMinute: 10 });
});
beforeEach(() => bench.resetRateLimit());
after(() => bench.close());

test(
  'ratelimit.enforced passes on the clean target, stopping at the first 429 (request 11 of a limit of 10)',
  { timeout: 15_000 },
  async () => {
    const before = bench.running.requestCount();
    const result = resultFor(await bench.run(rateLimitProbe), 'ratelimit.enforced');
    assert.equal(result.status, 'pass', result.message);
    assert.equal(result.evidence.firstLimitedRequest, 11);
    // The burst (11 requests), the CSRF token fetch and the test user's login with its document; nothing after the 429.
    assert.ok(bench.running.requestCount() - before <= 14, `sent ${bench.running.requestCount() - before} requests`);
  },
);

test('ratelimit.enforced warns with no_rate_limit_headers against the target with ratelimit_no_headers', { timeout: 15_000 }, async () => {
  const result = resultFor(await bench.run(rateLimitProbe, { ratelimit_no_headers: true }), 'ratelimit.enforced');
  assert.equal(result.status, 'warn', result.message);
  assert.equal(result.reason, 'no_rate_limit_headers');
});

test(
  'ratelimit.enforced fails with not_enforced against the target with ratelimit_off, sending exactly the bounded burst',
  { timeout: 15_000 },
  async () => {
    const result = resultFor(await bench.run(rateLimitProbe, { ratelimit_off: true }, { burstRequests: 25 }), 'ratelimit.enforced');
    assert.equal(result.status, 'fail', result.message);
    assert.equal(result.reason, 'not_enforced');
    assert.equal(result.evidence.requestsSent, 25);
  },
);
