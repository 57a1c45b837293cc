import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fail, pass } from '../../src/core/result.js';
import { httpSnapshot, withHeaders } from '../../test/helpers/http-snapshot.js';
import {
  ATTACKER_ORIGIN,
  evaluateAllowedOrigin,
  evaluateNullOrigin,
  evaluateOriginReflection,
  evaluateOriginValidation,
  evaluateWildcardCredentials,
  judgedOnTheApi,
  lookalikeOrigins,
  type CorsExchange,
} from './evaluate.js';

const ALLOWED = 'https://app.example.com:8443';
const PREFLIGHT = { method: 'POST', headers: ['content-type'] };

/** The server's CORS policy as a function of the request origin → response headers. */
type Policy = (origin: string, kind: CorsExchange['kind']) => Record<string, string>;

const strict: Policy = (origin, kind) =>
  origin === ALLOWED
    ? {
        'access-control-allow-origin': origin,
        'access-control-allow-credentials': 'true',
        ...(kind === 'preflight'
          ? { 'access-control-allow-methods': 'GET, POST, DELETE', 'access-control-allow-headers': 'Content-Type, X-CSRF-Token' }
          : {}),
      }
    : {};

function exchanges(policy: Policy): CorsExchange[] {
  const origins: [string, CorsExchange['kind']][] = [
    [ALLOWED, 'preflight'],
    [ATTACKER_ORIGIN, 'preflight'],
    [ATTACKER_ORIGIN, 'simple'],
    ['null', 'preflight'],
    ['null', 'simple'],
    ...lookalikeOrigins(ALLOWED).map((o): [string, CorsExchange['kind']] => [o, 'preflight']),
  ];
  return origins.map(([origin, kind]) => ({
    origin,
    kind,
    response: httpSnapshot({
      url: 'https://app.example.com:8443/api',
      method: kind === 'preflight' ? 'OPTIONS' : 'GET',
      status: kind === 'preflight' ? 204 : 200,
      headers: policy(origin, kind),
    }),
  }));
}

const reflectAll: Policy = (origin) => ({ 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' });
const startsWithOrEndsWith: Policy = (origin, kind) =>
  origin.startsWith(ALLOWED) || origin.endsWith('example.com:8443') ? { 'access-control-allow-origin': origin } : strict(origin, kind);
const wildcard: Policy = () => ({
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers': '*',
});

test('look-alikes cover the allowed origin as a string prefix, its host as a DNS prefix and as a suffix', () => {
  assert.deepEqual(lookalikeOrigins('https://app.example.com'), [
    'https://app.example.com.attacker.invalid',
    'https://attackerapp.example.com',
  ]);
  assert.deepEqual(lookalikeOrigins(ALLOWED), [
    'https://app.example.com:8443.attacker.invalid',
    'https://app.example.com.attacker.invalid:8443',
    'https://attackerapp.example.com:8443',
  ]);
});

test('a strict policy passes every CORS check', () => {
  const all = exchanges(strict);
  for (const finding of [
    evaluateOriginReflection(all),
    evaluateNullOrigin(all),
    evaluateOriginValidation(all, ALLOWED),
    evaluateWildcardCredentials(all),
    evaluateAllowedOrigin(all, ALLOWED, PREFLIGHT),
  ]) {
    assert.equal(finding.status, 'pass', `${finding.id}: ${finding.message}`);
  }
});

test('cors.origin_reflection fails as critical when an arbitrary origin is echoed with credentials', () => {
  const finding = evaluateOriginReflection(exchanges(reflectAll));
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'reflected');
  assert.equal(finding.severity, 'critical');
  assert.equal(finding.evidence.reflectedOrigin, ATTACKER_ORIGIN);
});

test('cors.origin_reflection without credentials keeps the catalogue severity', () => {
  const finding = evaluateOriginReflection(exchanges((o) => ({ 'access-control-allow-origin': o })));
  assert.equal(finding.reason, 'reflected');
  assert.equal(finding.severity, undefined);
});

test('cors.null_origin fails with null_allowed when Origin: null is granted', () => {
  const finding = evaluateNullOrigin(exchanges((o, k) => (o === 'null' ? { 'access-control-allow-origin': 'null' } : strict(o, k))));
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'null_allowed');
});

test('cors.origin_validation fails with lookalike_allowed for startsWith/endsWith checks and names the origin', () => {
  const finding = evaluateOriginValidation(exchanges(startsWithOrEndsWith), ALLOWED);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'lookalike_allowed');
  assert.equal(finding.evidence.allowedLookalike, 'https://app.example.com:8443.attacker.invalid');
});

test('a plain * without credentials passes null/look-alike checks but warns on wildcard_credentials', () => {
  const all = exchanges(wildcard);
  assert.equal(evaluateNullOrigin(all).status, 'pass');
  assert.equal(evaluateOriginValidation(all, ALLOWED).status, 'pass');
  assert.equal(evaluateOriginReflection(all).status, 'pass');
  const finding = evaluateWildcardCredentials(all);
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'wildcard');
  assert.equal(evaluateAllowedOrigin(all, ALLOWED, PREFLIGHT).status, 'pass');
});

test('cors.wildcard_credentials fails when * comes with Allow-Credentials: true', () => {
  const finding = evaluateWildcardCredentials(
    exchanges(() => ({ 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' })),
  );
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'wildcard_with_credentials');
});

const allowedCases = [
  { name: 'no Allow-Origin for the allowed origin', policy: (() => ({})) as Policy, reason: 'origin_not_allowed' },
  {
    name: 'a non-listed method',
    policy: ((o) => ({
      'access-control-allow-origin': o,
      'access-control-allow-methods': 'GET',
      'access-control-allow-headers': 'content-type',
    })) as Policy,
    method: 'DELETE',
    reason: 'method_not_allowed',
  },
  {
    name: 'a missing header',
    policy: ((o) => ({ 'access-control-allow-origin': o, 'access-control-allow-methods': 'POST' })) as Policy,
    reason: 'header_not_allowed',
  },
] as const;

for (const c of allowedCases) {
  test(`cors.allowed_origin fails with ${c.reason} on ${c.name}`, () => {
    const finding = evaluateAllowedOrigin(exchanges(c.policy), ALLOWED, {
      method: 'method' in c ? c.method : 'POST',
      headers: ['content-type'],
    });
    assert.equal(finding.status, 'fail');
    assert.equal(finding.reason, c.reason);
  });
}

test('cors.allowed_origin fails with preflight_rejected on a non-2xx preflight', () => {
  const all = exchanges(strict).map((e) => (e.origin === ALLOWED ? { ...e, response: { ...e.response, status: 403 } } : e));
  assert.equal(evaluateAllowedOrigin(all, ALLOWED, PREFLIGHT).reason, 'preflight_rejected');
});

describe('judgedOnTheApi: a verdict on the absence of a grant needs the API to have answered', () => {
  const answer = (status: number, headers: Record<string, string>, body = '') =>
    ({ origin: ATTACKER_ORIGIN, kind: 'simple', response: withHeaders(headers, httpSnapshot({ status, body })) }) as const;
  const none = pass('cors.origin_reflection', 'an arbitrary origin is not allowed');
  const cases = [
    {
      name: 'a JSON 404 from the API (no CORS headers)',
      exchange: answer(404, { 'content-type': 'application/json' }, '{}'),
      status: 'pass',
    },
    {
      name: 'an HTML 404 carrying Vary/ACAC headers',
      exchange: answer(404, { 'access-control-allow-credentials': 'true' }),
      status: 'pass',
    },
    {
      name: 'a landing page',
      exchange: answer(200, { 'content-type': 'text/html' }, '<!doctype html>'),
      status: 'error',
      reason: 'endpoint_not_found',
    },
    {
      name: 'an HTML 404 page',
      exchange: answer(404, { 'content-type': 'text/html' }, '<!doctype html>'),
      status: 'error',
      reason: 'endpoint_not_found',
    },
    { name: 'a 429', exchange: answer(429, { 'content-type': 'application/json' }, '{}'), status: 'error', reason: 'rate_limited' },
  ] as const;
  for (const c of cases) {
    test(`${c.name} → ${c.status}`, () => {
      const finding = judgedOnTheApi(none, [c.exchange], 'https://a.test/api');
      assert.equal(finding.status, c.status, finding.message);
      assert.equal(finding.reason, 'reason' in c ? c.reason : undefined);
    });
  }
  test('a grant seen is a finding whatever else was answered', () => {
    const reflected = fail('cors.origin_reflection', 'reflected', 'echoed');
    assert.equal(judgedOnTheApi(reflected, [answer(429, {})], 'https://a.test/api').status, 'fail');
  });
});
