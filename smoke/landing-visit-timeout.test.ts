/**
 * The shared landing visit can take longer than a test's own timeout (a lazy image below the fold
 * that never finishes loading once scrolled to is waited for up to 10 s): the test that makes it gets
 * the visit's worst case on top of its timeout (smoke/fixtures.ts), so the check it judges still gets
 * a verdict instead of a timeout.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSmokeOnSite } from '../test/helpers/smoke-site.js';

const LANDING = `<!doctype html><html lang="en"><head><title>slow image</title></head>
<body><main><h1>Landing</h1><div style="height: 3000px"></div>
<img src="/never.png" loading="lazy" alt="never arrives" width="10" height="10"></main></body></html>`;
/** Well under the visit's wait for images (10 s): without the extension the test would time out. */
const TEST_TIMEOUT_MS = 4_000;

test(
  "a landing visit slower than the test's own timeout still gives the check a verdict, not a timeout",
  { timeout: 180_000 },
  async () => {
    const started = performance.now();
    const results = await runSmokeOnSite(
      (req, res) => {
        if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(LANDING);
        else if (req.url === '/never.png')
          res.writeHead(200, { 'content-type': 'image/png' }); // headers, then nothing
        else res.writeHead(404).end();
      },
      { grep: 'consent banner', timeoutMs: 120_000, testTimeoutMs: TEST_TIMEOUT_MS },
    );
    const banner = results.find((r) => r.id === 'compliance.cookie_consent');
    assert.equal(banner?.status, 'fail', JSON.stringify(banner));
    assert.equal(banner.reason, 'no_banner', `judged from the visit, not cut off by the test timeout: ${banner.message}`);
    assert.ok(performance.now() - started > TEST_TIMEOUT_MS, 'the visit did outlast the test timeout it was given');
  },
);
