import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../../src/config/schema.js';
import type { Finding } from '../../src/core/result.js';
import type { HttpSnapshot } from '../../src/net/http.js';
import { httpSnapshot, withHeaders } from '../../test/helpers/http-snapshot.js';
import { evaluateCacheControlSensitive, isPublicApiPath } from './cache-control.js';
import { onEveryDocument } from './combine.js';
import { evaluateCsp } from './csp.js';
import { evaluateHsts } from './hsts.js';
import {
  disclosesVersion,
  evaluateContentTypeOptions,
  evaluateFrameOptions,
  evaluateOpenerPolicy,
  evaluatePermissionsPolicy,
  evaluatePoweredBy,
  evaluateReferrerPolicy,
  evaluateServerVersion,
} from './simple.js';

interface Case {
  readonly name: string;
  readonly headers: Readonly<Record<string, string | null>>;
  readonly status: Finding['status'];
  readonly reason?: string;
}

function table(title: string, evaluate: (doc: HttpSnapshot) => Finding, cases: readonly Case[]): void {
  for (const c of cases) {
    test(`${title} ${c.name} → ${c.status}${c.reason === undefined ? '' : `/${c.reason}`}`, () => {
      const finding = evaluate(withHeaders(c.headers));
      assert.equal(finding.status, c.status, finding.message);
      assert.equal(finding.reason, c.reason);
    });
  }
}

table('headers.hsts', (d) => evaluateHsts(d, DEFAULT_PROBE_OPTIONS), [
  { name: 'a year with includeSubDomains', headers: {}, status: 'pass' },
  { name: 'missing', headers: { 'strict-transport-security': null }, status: 'fail', reason: 'missing' },
  { name: 'without max-age', headers: { 'strict-transport-security': 'includeSubDomains' }, status: 'fail', reason: 'invalid' },
  {
    name: 'max-age=300',
    headers: { 'strict-transport-security': 'max-age=300; includeSubDomains' },
    status: 'fail',
    reason: 'max_age_too_short',
  },
  { name: 'exactly 180 days', headers: { 'strict-transport-security': 'max-age=15552000; includeSubDomains' }, status: 'pass' },
  {
    name: 'no includeSubDomains',
    headers: { 'strict-transport-security': 'max-age=31536000' },
    status: 'warn',
    reason: 'no_include_subdomains',
  },
  {
    name: 'quoted max-age, odd case',
    headers: { 'strict-transport-security': 'Max-Age="31536000"; INCLUDESUBDOMAINS; preload' },
    status: 'pass',
  },
]);

table('headers.csp', evaluateCsp, [
  { name: 'strict', headers: {}, status: 'pass' },
  { name: 'missing', headers: { 'content-security-policy': null }, status: 'fail', reason: 'missing' },
  {
    name: 'unsafe-inline',
    headers: { 'content-security-policy': "script-src 'self' 'unsafe-inline'" },
    status: 'warn',
    reason: 'unsafe_inline',
  },
  {
    name: 'unsafe-inline with a nonce',
    headers: { 'content-security-policy': "script-src 'self' 'unsafe-inline' 'nonce-abc123'" },
    status: 'pass',
  },
  {
    name: 'unsafe-eval',
    headers: { 'content-security-policy': "default-src 'self' 'unsafe-eval'" },
    status: 'warn',
    reason: 'unsafe_eval',
  },
  { name: 'wildcard', headers: { 'content-security-policy': 'script-src *' }, status: 'warn', reason: 'wildcard_source' },
  { name: 'http:', headers: { 'content-security-policy': "script-src 'self' http:" }, status: 'warn', reason: 'http_source' },
  { name: 'data:', headers: { 'content-security-policy': "script-src 'self' data:" }, status: 'warn', reason: 'data_source' },
  {
    name: 'script-src overrides a loose default-src',
    headers: { 'content-security-policy': "default-src *; script-src 'self'" },
    status: 'pass',
  },
  {
    name: 'neither script-src nor default-src',
    headers: { 'content-security-policy': "img-src 'self'" },
    status: 'warn',
    reason: 'no_script_src',
  },
  {
    name: 'two headers, the second restricting scripts',
    headers: { 'content-security-policy': "frame-ancestors 'none', script-src 'self'" },
    status: 'pass',
  },
  {
    name: 'two headers, both loose',
    headers: { 'content-security-policy': "default-src 'self' 'unsafe-eval', script-src *" },
    status: 'warn',
    reason: 'unsafe_eval',
  },
]);

table('headers.x_content_type_options', evaluateContentTypeOptions, [
  { name: 'nosniff', headers: {}, status: 'pass' },
  { name: '" NoSniff "', headers: { 'x-content-type-options': ' NoSniff ' }, status: 'pass' },
  { name: 'missing', headers: { 'x-content-type-options': null }, status: 'fail', reason: 'missing' },
  { name: 'garbage', headers: { 'x-content-type-options': 'sniff' }, status: 'fail', reason: 'invalid' },
]);

table('headers.frame_options', evaluateFrameOptions, [
  { name: 'DENY', headers: {}, status: 'pass' },
  { name: 'only frame-ancestors', headers: { 'x-frame-options': null }, status: 'pass' },
  {
    name: 'only sameorigin',
    headers: { 'x-frame-options': 'sameorigin', 'content-security-policy': "default-src 'self'" },
    status: 'pass',
  },
  {
    name: 'neither',
    headers: { 'x-frame-options': null, 'content-security-policy': "default-src 'self'" },
    status: 'fail',
    reason: 'missing',
  },
  {
    name: 'frame-ancestors in a second CSP header',
    headers: { 'x-frame-options': null, 'content-security-policy': "default-src 'self', frame-ancestors 'self'" },
    status: 'pass',
  },
  {
    name: 'ALLOW-FROM only',
    headers: { 'x-frame-options': 'ALLOW-FROM https://x', 'content-security-policy': null },
    status: 'fail',
    reason: 'invalid',
  },
]);

table('headers.referrer_policy', evaluateReferrerPolicy, [
  { name: 'strict-origin-when-cross-origin', headers: {}, status: 'pass' },
  { name: 'missing', headers: { 'referrer-policy': null }, status: 'warn', reason: 'missing' },
  { name: 'unsafe-url', headers: { 'referrer-policy': 'unsafe-url' }, status: 'warn', reason: 'unsafe_value' },
  {
    name: 'no-referrer-when-downgrade',
    headers: { 'referrer-policy': 'No-Referrer-When-Downgrade' },
    status: 'warn',
    reason: 'unsafe_value',
  },
  { name: 'unsafe fallback before a safe one', headers: { 'referrer-policy': 'unsafe-url, no-referrer' }, status: 'pass' },
]);

table('headers.permissions_policy', evaluatePermissionsPolicy, [
  { name: 'present', headers: {}, status: 'pass' },
  { name: 'missing', headers: { 'permissions-policy': null }, status: 'warn', reason: 'missing' },
]);

table('headers.cross_origin_opener_policy', evaluateOpenerPolicy, [
  { name: 'same-origin', headers: {}, status: 'pass' },
  { name: 'missing', headers: { 'cross-origin-opener-policy': null }, status: 'warn', reason: 'missing' },
]);

table('headers.x_powered_by', evaluatePoweredBy, [
  { name: 'absent', headers: {}, status: 'pass' },
  { name: 'Express', headers: { 'x-powered-by': 'Express' }, status: 'fail', reason: 'present' },
]);

table('headers.server_version', evaluateServerVersion, [
  { name: 'absent', headers: {}, status: 'pass' },
  { name: 'nginx', headers: { server: 'nginx' }, status: 'pass' },
  { name: 'nginx/1.18.0', headers: { server: 'nginx/1.18.0' }, status: 'warn', reason: 'version_disclosed' },
  { name: 'Apache/2.4.57 (Debian)', headers: { server: 'Apache/2.4.57 (Debian)' }, status: 'warn', reason: 'version_disclosed' },
]);

test('disclosesVersion ignores names without numbers', () => {
  assert.equal(disclosesVersion('cloudflare'), false);
  assert.equal(disclosesVersion('Microsoft-IIS/10.0'), true);
});

test('a header that holds on the main document but not on the API base fails and names the API URL', () => {
  const main = httpSnapshot({ url: 'https://app.example.test/' });
  const api = withHeaders({ 'x-content-type-options': null }, httpSnapshot({ url: 'https://app.example.test/api' }));
  const finding = onEveryDocument('headers.x_content_type_options', [main, api], evaluateContentTypeOptions);
  assert.equal(finding.status, 'fail');
  assert.match(finding.message, /https:\/\/app\.example\.test\/api/);
  assert.equal(finding.evidence.url, 'https://app.example.test/api');
});

test('a header that holds on both documents passes and lists both URLs as evidence', () => {
  const docs = [httpSnapshot({ url: 'https://a.test/' }), httpSnapshot({ url: 'https://a.test/api' })];
  const finding = onEveryDocument('headers.csp', docs, evaluateCsp);
  assert.equal(finding.status, 'pass');
  assert.deepEqual(finding.evidence.url, ['https://a.test/', 'https://a.test/api']);
});

const json = (url: string, cacheControl: string | null, status = 200): HttpSnapshot =>
  withHeaders({ 'content-type': 'application/json', 'cache-control': cacheControl }, httpSnapshot({ url, status }));
const api = { apiUrl: 'https://a.test/api', publicApiPaths: ['/products'], loggedIn: true };

test('headers.cache_control_sensitive fails with cacheable when an authenticated JSON read lacks no-store', () => {
  const finding = evaluateCacheControlSensitive([json('https://a.test/api/me', 'public, max-age=300')], api);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'cacheable');
  assert.match(finding.message, /\/api\/me/);
});

test('headers.cache_control_sensitive passes when JSON reads are no-store, and exempts public paths', () => {
  const finding = evaluateCacheControlSensitive(
    [json('https://a.test/api/me', 'private, no-store'), json('https://a.test/api/products', 'public, max-age=60')],
    api,
  );
  assert.equal(finding.status, 'pass');
});

test('headers.cache_control_sensitive ignores non-2xx and non-JSON responses, and skips when nothing is left', () => {
  const finding = evaluateCacheControlSensitive(
    [json('https://a.test/api', 'max-age=60', 404), withHeaders({ 'cache-control': null }, httpSnapshot({ url: 'https://a.test/api/x' }))],
    { ...api, loggedIn: false },
  );
  assert.equal(finding.status, 'skip');
  assert.equal(finding.reason, 'no_credentials');
  assert.match(finding.message, /VOR_TEST_USER_EMAIL/);
});

test('public API paths match from the origin or from the API base', () => {
  assert.equal(isPublicApiPath('https://a.test/api/products/1', 'https://a.test/api', ['/products']), true);
  assert.equal(isPublicApiPath('https://a.test/api/products', 'https://a.test/api', ['/api/products']), true);
  assert.equal(isPublicApiPath('https://a.test/api/productsecret', 'https://a.test/api', ['/products']), false);
});
