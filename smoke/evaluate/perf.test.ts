import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BUDGETS } from '../../src/config/schema.js';
import { evaluateBundleSize, evaluateImages, evaluateLazyLoading, evaluateWebVitals, type LoadedImage } from './perf.js';

const KB = 1024;
const image = (overrides: Partial<LoadedImage> = {}): LoadedImage => ({
  url: '/img/hero.webp',
  transferBytes: 40 * KB,
  contentType: 'image/webp',
  hasIntrinsicSize: true,
  ...overrides,
});

test('perf.bundle_size passes within budget, warns above 80 % and fails over the budget', () => {
  const cases = [
    { kb: 100, status: 'pass', reason: undefined },
    { kb: 300, status: 'warn', reason: 'near_budget' },
    { kb: 420, status: 'fail', reason: 'over_budget' },
  ] as const;
  for (const c of cases) {
    const finding = evaluateBundleSize(
      '/',
      [
        { url: '/a.js', transferBytes: (c.kb / 2) * KB },
        { url: '/b.js', transferBytes: (c.kb / 2) * KB },
      ],
      DEFAULT_BUDGETS,
    );
    assert.equal(finding.status, c.status, `${c.kb} KB`);
    assert.equal(finding.reason, c.reason);
    assert.equal(finding.evidence.totalKb, c.kb);
  }
});

test('perf.images fails with oversized_image for a 2 MB image and names it', () => {
  const finding = evaluateImages(
    '/',
    [image(), image({ url: '/img/big.jpg', transferBytes: 2048 * KB, contentType: 'image/jpeg' })],
    DEFAULT_BUDGETS,
  );
  assert.equal(finding.status, 'fail');
  assert.equal(finding.reason, 'oversized_image');
  assert.match(finding.message, /big\.jpg/);
});

test('perf.images warns on legacy formats and on images without intrinsic size, passes on sized WebP', () => {
  assert.equal(evaluateImages('/', [image({ contentType: 'image/png' })], DEFAULT_BUDGETS).reason, 'legacy_format');
  assert.equal(evaluateImages('/', [image({ hasIntrinsicSize: false })], DEFAULT_BUDGETS).reason, 'no_intrinsic_size');
  assert.equal(evaluateImages('/', [image(), image({ contentType: 'image/avif' })], DEFAULT_BUDGETS).status, 'pass');
});

test('an image or script that never finished loading leaves its size unknown: error/timeout, unless what did finish already fails', () => {
  const images = evaluateImages('/', [image()], DEFAULT_BUDGETS, ['/img/stuck.webp']);
  assert.equal(images.status, 'error');
  assert.equal(images.reason, 'timeout');
  assert.match(images.message, /never finished loading, e\.g\. \/img\/stuck\.webp/);
  const oversized = image({ url: '/img/big.webp', transferBytes: 2048 * KB });
  assert.equal(evaluateImages('/', [oversized], DEFAULT_BUDGETS, ['/img/stuck.webp']).reason, 'oversized_image');

  const scripts = evaluateBundleSize('/', [{ url: '/a.js', transferBytes: 10 * KB }], DEFAULT_BUDGETS, ['/stuck.js']);
  assert.equal(scripts.status, 'error');
  assert.equal(scripts.reason, 'timeout');
  assert.match(scripts.message, /1 script\(s\) on \/ never finished loading, e\.g\. \/stuck\.js/);
  assert.equal(evaluateBundleSize('/', [{ url: '/a.js', transferBytes: 400 * KB }], DEFAULT_BUDGETS, ['/stuck.js']).reason, 'over_budget');
});

test('perf.lazy_loading warns only for images below the fold without loading=lazy', () => {
  assert.equal(
    evaluateLazyLoading('/', [
      { src: '/hero.webp', belowFold: false, loading: null },
      { src: '/f.webp', belowFold: true, loading: 'lazy' },
    ]).status,
    'pass',
  );
  const finding = evaluateLazyLoading('/', [{ src: '/f.webp', belowFold: true, loading: 'eager' }]);
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'not_lazy');
});

test('perf.web_vitals judges LCP and CLS against the fail and warn budgets', () => {
  const cases = [
    { lcpMs: 900, cls: 0, status: 'pass', reason: undefined },
    { lcpMs: 3000, cls: 0, status: 'warn', reason: 'slow_lcp' },
    { lcpMs: 4500, cls: 0, status: 'fail', reason: 'slow_lcp' },
    { lcpMs: 900, cls: 0.15, status: 'warn', reason: 'layout_shift' },
    { lcpMs: 900, cls: 0.3, status: 'fail', reason: 'layout_shift' },
    // Thresholds apply to the measured values, not to the rounded ones shown in the evidence.
    { lcpMs: 4000.4, cls: 0, status: 'fail', reason: 'slow_lcp' },
    { lcpMs: 2500.3, cls: 0, status: 'warn', reason: 'slow_lcp' },
    { lcpMs: 900, cls: 0.2504, status: 'fail', reason: 'layout_shift' },
    { lcpMs: 900, cls: 0.1004, status: 'warn', reason: 'layout_shift' },
  ] as const;
  for (const c of cases) {
    const finding = evaluateWebVitals('/', { lcpMs: c.lcpMs, cls: c.cls }, DEFAULT_BUDGETS);
    assert.equal(finding.status, c.status, JSON.stringify(c));
    assert.equal(finding.reason, c.reason);
  }
  assert.equal(evaluateWebVitals('/', { cls: 0 }, DEFAULT_BUDGETS).status, 'error');
});
