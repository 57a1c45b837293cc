import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateRateLimit, type BurstOutcome } from './evaluate.js';

const base: BurstOutcome = { url: 'https://a.test/api/auth/login', method: 'POST', limit: 60, statuses: [401, 401, 401, 429] };

test('ratelimit.enforced passes with the request number that got 429 and its headers', () => {
  const finding = evaluateRateLimit({
    ...base,
    firstLimitedRequest: 4,
    limitedHeaders: { 'retry-after': '60', 'content-type': 'application/json' },
  });
  assert.equal(finding.status, 'pass');
  assert.equal(finding.evidence.firstLimitedRequest, 4);
  assert.deepEqual(finding.evidence.rateLimitHeaders, { 'retry-after': '60' });
  assert.match(finding.message, /request 4/);
});

test('ratelimit.enforced accepts RateLimit-* headers instead of Retry-After', () => {
  assert.equal(evaluateRateLimit({ ...base, firstLimitedRequest: 4, limitedHeaders: { 'ratelimit-remaining': '0' } }).status, 'pass');
});

test('ratelimit.enforced warns with no_rate_limit_headers on a bare 429', () => {
  const finding = evaluateRateLimit({ ...base, firstLimitedRequest: 4, limitedHeaders: { 'content-type': 'text/plain' } });
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'no_rate_limit_headers');
});

test('ratelimit.enforced fails with not_enforced when the whole burst never got 429, with status counts', () => {
  const finding = evaluateRateLimit({ ...base, statuses: Array.from({ length: 60 }, () => 401) });
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'not_enforced');
  assert.deepEqual(finding.evidence.statusCounts, { '401': 60 });
  assert.equal(finding.evidence.requestsSent, 60);
});
