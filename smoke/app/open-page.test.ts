import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBrowserSite } from '../../test/helpers/browser-site.js';
import { openPage } from './open-page.js';

const LOAD_WAIT_MS = 1_500;
const html = (body: string) => `<!doctype html><html lang="en"><head><title>t</title></head><body><h1>Page</h1>${body}</body></html>`;

describe('openPage', () => {
  const site = useBrowserSite((req, res) => {
    if (req.url === '/quick') res.writeHead(200, { 'content-type': 'text/html' }).end(html('<img src="/ok.png" alt="">'));
    else if (req.url === '/stuck') res.writeHead(200, { 'content-type': 'text/html' }).end(html('<img src="/stuck.png" alt="">'));
    else if (req.url === '/long-poll')
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(html('<img src="/stuck.png" alt=""><script>fetch("/poll"); new EventSource("/events");</script>'));
    else if (req.url === '/stuck.png' || req.url === '/poll')
      res.writeHead(200, { 'content-type': 'image/png' }); // headers, then nothing
    else if (req.url === '/events') res.writeHead(200, { 'content-type': 'text/event-stream' });
    else res.writeHead(404).end();
  });

  const open = (path: string) =>
    site.inNewContext(async (context) => {
      const page = await context.newPage();
      const opened = await openPage(page, path, LOAD_WAIT_MS);
      return {
        status: opened.response?.status(),
        loaded: opened.loaded,
        pending: opened.pending,
        h1: await page.locator('h1').innerText(),
      };
    });

  it('waits for the load event of a page that fires it, and reports nothing pending', { timeout: 60_000 }, async () => {
    assert.deepEqual(await open('/quick'), { status: 200, loaded: true, pending: [], h1: 'Page' });
  });

  it('gives up on a load event an unfinished image holds back, with the page usable and the image named', { timeout: 60_000 }, async () => {
    assert.deepEqual(await open('/stuck'), {
      status: 200,
      loaded: false,
      pending: [{ url: `${site.baseUrl}/stuck.png`, resourceType: 'image' }],
      h1: 'Page',
    });
  });

  it('does not name a fetch or an event stream left open: they do not hold the load event back', { timeout: 60_000 }, async () => {
    const opened = await open('/long-poll');
    assert.equal(opened.loaded, false);
    assert.deepEqual(
      opened.pending.map((p) => p.url),
      [`${site.baseUrl}/stuck.png`],
    );
  });
});
