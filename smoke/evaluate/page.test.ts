import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateBrokenAssets, evaluateConsoleErrors, evaluateMixedContent, evaluateRoutes } from './page.js';
import { evaluateBeforeConsent, evaluateConsentBanner, evaluateLegalPage } from './compliance.js';

test('page.console_errors fails with uncaught_exception before console_error, passes when quiet', () => {
  assert.equal(evaluateConsoleErrors(['/'], []).status, 'pass');
  assert.equal(evaluateConsoleErrors(['/'], [{ kind: 'console', page: '/', text: 'boom' }]).reason, 'console_error');
  const finding = evaluateConsoleErrors(
    ['/'],
    [
      { kind: 'console', page: '/', text: 'x' },
      { kind: 'exception', page: '/dashboard', text: 'TypeError' },
    ],
  );
  assert.equal(finding.reason, 'uncaught_exception');
  assert.match(finding.message, /\/dashboard/);
});

test('page.broken_assets distinguishes a 404 from a failed request', () => {
  assert.equal(evaluateBrokenAssets(['/'], []).status, 'pass');
  assert.equal(evaluateBrokenAssets(['/'], [{ url: '/x.js', resourceType: 'script', status: 404 }]).reason, 'broken_asset');
  assert.equal(
    evaluateBrokenAssets(['/'], [{ url: '/x.js', resourceType: 'script', failure: 'net::ERR_FAILED' }]).reason,
    'request_failed',
  );
});

test('page.mixed_content fails on any http: subresource, counted once', () => {
  assert.equal(evaluateMixedContent('/', []).status, 'pass');
  const finding = evaluateMixedContent('/', ['http://127.0.0.1/a.png', 'http://127.0.0.1/a.png']);
  assert.equal(finding.reason, 'mixed_content');
  assert.deepEqual(finding.evidence.insecure, ['http://127.0.0.1/a.png']);
});

test('page.mixed_content judges HTTPS pages only', () => {
  const cases = [
    { pageUrl: 'https://app.test/', insecure: ['http://cdn.test/a.js'], status: 'fail' },
    { pageUrl: 'https://app.test/', insecure: [], status: 'pass' },
    { pageUrl: 'http://app.test/', insecure: ['http://app.test/', 'http://app.test/a.js'], status: 'skip' },
  ] as const;
  for (const c of cases) assert.equal(evaluateMixedContent('/', [...c.insecure], c.pageUrl).status, c.status, c.pageUrl);
});

test('routes.reachable fails with route_broken on a 500 and not_rendered on a blank page', () => {
  assert.equal(evaluateRoutes([{ route: '/', status: 200, rendered: true }]).status, 'pass');
  assert.equal(evaluateRoutes([{ route: '/about', status: 500, rendered: true }]).reason, 'route_broken');
  assert.equal(evaluateRoutes([{ route: '/about', status: 200, rendered: false }]).reason, 'not_rendered');
  assert.equal(evaluateRoutes([{ route: '/x', status: null, rendered: false, error: 'net::ERR' }]).reason, 'route_broken');
});

test('compliance legal pages fail with no_link or unreachable', () => {
  assert.equal(evaluateLegalPage('compliance.terms', 'terms of service', '/', {}).reason, 'no_link');
  assert.equal(evaluateLegalPage('compliance.terms', 'terms of service', '/', { href: '/terms', status: 404 }).reason, 'unreachable');
  assert.equal(
    evaluateLegalPage('compliance.privacy_policy', 'privacy policy', '/', { href: '/privacy', status: 200, rendered: true }).status,
    'pass',
  );
});

test('compliance.cookie_consent fails with no_banner when no banner shows', () => {
  assert.equal(evaluateConsentBanner('/', { visible: false }).reason, 'no_banner');
  assert.equal(evaluateConsentBanner('/', { visible: true, text: 'We use cookies' }).status, 'pass');
});

test('compliance.cookies_before_consent allows essential cookies and fails on analytics or tracking cookies', () => {
  assert.equal(evaluateBeforeConsent('/', { cookies: ['vor_csrf', 'vor_session'], requests: ['https://x/app.js'] }).status, 'pass');
  assert.equal(evaluateBeforeConsent('/', { cookies: ['_vor_analytics'], requests: [] }).reason, 'cookies_before_consent');
  // A cookie the app declares strictly necessary (app.legal.essentialCookies) is allowed; others are still not.
  assert.equal(evaluateBeforeConsent('/', { cookies: ['krona_pre'], requests: [] }, ['krona_pre']).status, 'pass');
  assert.equal(evaluateBeforeConsent('/', { cookies: ['krona_pre', 'krona_ad'], requests: [] }, ['krona_pre']).status, 'fail');
  assert.equal(evaluateBeforeConsent('/', { cookies: [], requests: ['https://x/analytics.js'] }).reason, 'analytics_before_consent');
});
