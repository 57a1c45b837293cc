/**
 * A landing page whose load event never fires (one image answers its headers, then nothing): the
 * pages are still judged from what they show, and the request that held them back is the finding,
 * instead of a navigation timeout in every check that visits the page.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSmokeOnSite } from '../test/helpers/smoke-site.js';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main>` +
  '<footer><a href="/privacy">Privacy policy</a> <a href="/terms">Terms of service</a></footer></body></html>';
const LANDING = page('Landing', '<img src="/stuck.webp" alt="never finishes" width="10" height="10">');

test(
  'a page whose load event never fires is judged from what it shows; the unfinished request is what fails',
  { timeout: 300_000 },
  async () => {
    const results = await runSmokeOnSite(
      (req, res) => {
        if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(LANDING);
        else if (req.url === '/stuck.webp')
          res.writeHead(200, { 'content-type': 'image/webp' }); // headers, then nothing
        else if (req.url === '/privacy' || req.url === '/terms' || req.url === '/login' || req.url === '/signup')
          res.writeHead(200, { 'content-type': 'text/html' }).end(page(`Page ${req.url}`, ''));
        else res.writeHead(404).end();
      },
      { grep: 'same-origin request|privacy policy|consent banner|images are small|answers 2xx', timeoutMs: 240_000, testTimeoutMs: 30_000 },
    );
    const byId = new Map(results.map((r) => [r.id, r]));
    const summary = JSON.stringify(results.map((r) => [r.id, r.status, r.reason, r.message]));

    const broken = byId.get('page.broken_assets');
    assert.equal(broken?.status, 'fail', summary);
    assert.equal(broken.reason, 'request_failed', summary);
    assert.match(broken.message, /\/stuck\.webp failed \(unfinished 10 s after the document arrived; the page's load event never fired\)/);

    // Judged from the page as shown, not cut off by a navigation timeout.
    assert.equal(byId.get('compliance.privacy_policy')?.status, 'pass', summary);
    assert.equal(byId.get('compliance.cookie_consent')?.reason, 'no_banner', summary);
    assert.equal(byId.get('routes.reachable')?.status, 'pass', summary);

    // Its size is unknown: not a pass, and said why.
    const images = byId.get('perf.images');
    assert.equal(images?.status, 'error', summary);
    assert.equal(images.reason, 'timeout', summary);
    assert.match(images.message, /1 image\(s\) on \/ never finished loading, e\.g\. \/stuck\.webp/);
  },
);
