import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../../src/config/schema.js';
import { httpSnapshot } from '../../test/helpers/http-snapshot.js';
import { discoverAssets, inlineScripts, isFingerprinted } from './assets.js';
import { evaluateCacheHeaders, evaluateCdn, evaluateCompression, type AssetResponse } from './evaluate.js';

const asset = (url: string, headers: Record<string, string>, transferredBytes = 20_000): AssetResponse => ({
  response: httpSnapshot({ url, headers: { 'content-type': 'application/javascript', ...headers } }),
  transferredBytes,
});
const GOOD = { 'cache-control': 'public, max-age=31536000, immutable', 'content-encoding': 'br', via: '1.1 cdn' };
const FP = 'https://a.test/assets/app.3f9a1c2b.js';

test('fingerprinted assets: hex or base64url hash segments, or ?v=', () => {
  assert.equal(isFingerprinted(FP), true);
  assert.equal(isFingerprinted('https://a.test/app-Bx7_k2Qa.css'), true);
  assert.equal(isFingerprinted('https://a.test/app.js?v=42'), true);
  assert.equal(isFingerprinted('https://a.test/vendor-bootstrap.js'), false);
  // base64url includes `-`: Vite/Rollup `[name]-[hash]` hashes may contain one.
  for (const [url, expected] of [
    ['https://a.test/assets/index-BfG-3sLk.js', true],
    ['https://a.test/assets/index-D_1rXh-A.css', true],
    ['https://a.test/assets/react-dom-v18.js', false],
    ['https://a.test/assets/vendor-ui-kit-theme.css', false],
    ['https://a.test/assets/my-app-bundle.js', false],
  ] as const) {
    assert.equal(isFingerprinted(url), expected, url);
  }
  assert.equal(isFingerprinted('https://a.test/app.js'), false);
});

test('discoverAssets finds scripts, stylesheets, module preloads and images, resolved and deduplicated', () => {
  const html = `<link rel="stylesheet" href="/a.css"><script type=module src='/app.js'></script><script src="/app.js"></script>
    <link rel="modulepreload" href="chunk.js"><img src="/i.png" alt=""><script>inline()</script><a href="/x">x</a>`;
  assert.deepEqual(discoverAssets(html, 'https://a.test/dir/'), [
    { url: 'https://a.test/a.css', kind: 'style' },
    { url: 'https://a.test/app.js', kind: 'script' },
    { url: 'https://a.test/dir/chunk.js', kind: 'script' },
    { url: 'https://a.test/i.png', kind: 'image' },
  ]);
  assert.deepEqual(inlineScripts(html), ['inline()']);
});

const cacheCases = [
  { name: 'a year, immutable', headers: GOOD, status: 'pass' },
  { name: 'no-store', headers: { 'cache-control': 'no-store' }, status: 'fail', reason: 'no_store' },
  { name: 'no-cache on a fingerprinted asset', headers: { 'cache-control': 'no-cache', etag: '"x"' }, status: 'fail', reason: 'no_cache' },
  { name: 'no max-age and no validator', headers: {}, status: 'fail', reason: 'not_cacheable' },
  { name: 'max-age=3600', headers: { 'cache-control': 'public, max-age=3600' }, status: 'warn', reason: 'short_max_age' },
  { name: 'a year without immutable', headers: { 'cache-control': 'public, max-age=31536000' }, status: 'warn', reason: 'not_immutable' },
] as const;

for (const c of cacheCases) {
  test(`static.cache_headers with ${c.name} → ${c.status}`, () => {
    const finding = evaluateCacheHeaders([asset(FP, { ...c.headers })], DEFAULT_PROBE_OPTIONS);
    assert.equal(finding.status, c.status, finding.message);
    assert.equal(finding.reason, 'reason' in c ? c.reason : undefined);
  });
}

test('static.cache_headers does not ask a non-fingerprinted asset for a long max-age', () => {
  assert.equal(
    evaluateCacheHeaders([asset('https://a.test/app.js', { 'cache-control': 'no-cache', etag: '"1"' })], DEFAULT_PROBE_OPTIONS).status,
    'pass',
  );
});

test('static.compression fails with uncompressed for a 20 KB script without Content-Encoding, ignores small and binary assets', () => {
  const finding = evaluateCompression([asset(FP, {})]);
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'uncompressed');
  assert.equal(evaluateCompression([asset(FP, {}, 900)]).status, 'pass');
  assert.equal(evaluateCompression([asset('https://a.test/i.png', { 'content-type': 'image/png' })]).status, 'pass');
  assert.equal(evaluateCompression([asset(FP, GOOD)]).status, 'pass');
  // Legacy script types are text too.
  for (const type of ['application/x-javascript', 'application/ecmascript', 'text/css; charset=utf-8']) {
    assert.equal(evaluateCompression([asset(FP, { 'content-type': type })]).status, 'fail', type);
  }
});

test('static.cdn passes on Via/X-Cache/Age and warns with severity info otherwise', () => {
  assert.equal(evaluateCdn([asset(FP, GOOD)]).status, 'pass');
  const finding = evaluateCdn([asset(FP, { 'cache-control': 'max-age=1' })]);
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'no_cdn');
  assert.equal(finding.severity, 'info');
});

test('static checks skip when the main document references no assets', () => {
  assert.equal(evaluateCacheHeaders([], DEFAULT_PROBE_OPTIONS).status, 'skip');
});
