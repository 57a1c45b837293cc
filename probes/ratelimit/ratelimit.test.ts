import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateRateLimit, LOGIN_URL_SETTING, type BurstOutcome } from './evaluate.js';

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

const sixty = (status: number) => Array.from({ length: 60 }, () => status);

const notTheEndpoint = [
  { name: '60 × 404', outcome: { ...base, statuses: sixty(404) } },
  { name: '60 × 405', outcome: { ...base, statuses: sixty(405) } },
  { name: '60 × 302 from a JSON login API', outcome: { ...base, statuses: sixty(302) } },
  { name: '60 × 302 from a form login to another page', outcome: { ...base, statuses: sixty(302), loginPageRedirects: 0 } },
  { name: '60 HTML pages to a JSON login (a catch-all)', outcome: { ...base, statuses: sixty(200), htmlAnswers: 60 } },
] as const;

for (const c of notTheEndpoint) {
  test(`ratelimit.enforced errors with endpoint_not_found, naming --ratelimit-url, on a burst answered ${c.name}`, () => {
    const finding = evaluateRateLimit({ ...c.outcome, setting: LOGIN_URL_SETTING });
    assert.equal(finding.status, 'error', finding.message);
    assert.equal(finding.reason, 'endpoint_not_found');
    assert.match(finding.message, /--ratelimit-url.*app\.api\.login\.url/);
  });
}

test('ratelimit.enforced still fails when a real endpoint (401s, some HTML) never limits', () => {
  const finding = evaluateRateLimit({ ...base, statuses: [...sixty(401).slice(1), 302], htmlAnswers: 1 });
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'not_enforced');
});

test('a form login refusing each bad password with 302 back to its login page is the endpoint, not a missing one', () => {
  const finding = evaluateRateLimit({ ...base, url: 'https://a.test/login', statuses: sixty(302), loginPageRedirects: 60 });
  assert.equal(finding.status, 'fail', finding.message);
  assert.equal(finding.reason, 'not_enforced');
});

test('a 429 on the first request: rate_limited when the site answers 429 everywhere, a pass when only the login is limited', () => {
  const first = { ...base, statuses: [429], firstLimitedRequest: 1, limitedHeaders: { 'retry-after': '60' } };
  const everywhere = evaluateRateLimit({ ...first, control: { url: 'https://a.test/', status: 429 } });
  assert.equal(everywhere.status, 'error', everywhere.message);
  assert.equal(everywhere.reason, 'rate_limited');
  const loginOnly = evaluateRateLimit({ ...first, control: { url: 'https://a.test/', status: 200 } });
  assert.equal(loginOnly.status, 'pass', loginOnly.message);
  assert.match(loginOnly.message, /already limited/);
});
