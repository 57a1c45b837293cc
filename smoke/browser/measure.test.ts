import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from '@playwright/test';
import { launchTestChromium, serveSite } from '../../test/helpers/browser-site.js';
import { recordTransfers } from './measure.js';

// Chromium reports a script's answer only once its body has ended; an image's as its headers arrive.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('recordTransfers', () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  let browser: Browser;

  before(async () => {
    site = await serveSite((req, res) => {
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>t</title><h1>Page</h1>');
      else if (req.url === '/slow.png') {
        // The body ends a second after its first half: still arriving when the page is measured.
        res.writeHead(200, { 'content-type': 'image/png' }).write(PNG.subarray(0, 20));
        setTimeout(() => res.end(PNG.subarray(20)), 1_000);
      } else if (req.url === '/stuck.png')
        res.writeHead(200, { 'content-type': 'image/png' }).flushHeaders(); // then nothing
      else res.writeHead(404).end();
    });
    browser = await launchTestChromium();
  });

  after(async () => {
    await browser?.close();
    await site?.close();
  });

  it('measures an image still arriving when asked once it ends; names one that never ends as unfinished', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ baseURL: site.baseUrl });
    try {
      const page = await context.newPage();
      const transfers = recordTransfers(page);
      await page.goto('/');
      const answered = Promise.all([page.waitForResponse('**/slow.png'), page.waitForResponse('**/stuck.png')]);
      await page.evaluate(() => {
        for (const src of ['/slow.png', '/stuck.png']) document.body.append(Object.assign(document.createElement('img'), { src, alt: '' }));
      });
      await answered;
      const measured = await transfers();
      assert.deepEqual(
        measured.images.map((i) => i.url),
        ['/slow.png'],
      );
      assert.ok((measured.images[0]?.transferBytes ?? 0) >= PNG.length, 'its size is the whole body');
      assert.deepEqual(measured.unfinished, { scripts: [], images: ['/stuck.png'] });
    } finally {
      await context.close();
    }
  });
});
