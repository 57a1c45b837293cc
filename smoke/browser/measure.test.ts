import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useBrowserSite } from '../../test/helpers/browser-site.js';
import { FINISH_GRACE_MS, recordTransfers } from './measure.js';

// Chromium reports a script's answer only once its body has ended; an image's as its headers arrive.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('recordTransfers', () => {
  const site = useBrowserSite((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>t</title><h1>Page</h1>');
    else if (req.url === '/slow.png') {
      // The body ends a second after its first half: still arriving when the page is measured.
      res.writeHead(200, { 'content-type': 'image/png' }).write(PNG.subarray(0, 20));
      setTimeout(() => res.end(PNG.subarray(20)), 1_000);
    } else if (req.url === '/stuck.png')
      res.writeHead(200, { 'content-type': 'image/png' }).flushHeaders(); // then nothing
    else res.writeHead(404).end();
  });

  it('measures an image still arriving when asked once it ends; names one that never ends as unfinished', { timeout: 60_000 }, async () => {
    await site.inNewContext(async (context) => {
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
    });
  });

  it('asked for scripts only, it neither waits for nor names an image still arriving', { timeout: 60_000 }, async () => {
    await site.inNewContext(async (context) => {
      const page = await context.newPage();
      const transfers = recordTransfers(page);
      await page.goto('/');
      const answered = page.waitForResponse('**/stuck.png');
      await page.evaluate(() => document.body.append(Object.assign(document.createElement('img'), { src: '/stuck.png', alt: '' })));
      await answered;
      const started = performance.now();
      const measured = await transfers(['script']);
      assert.ok(performance.now() - started < FINISH_GRACE_MS / 2, `no grace spent on the image (${performance.now() - started} ms)`);
      assert.deepEqual(measured, { unfinished: { scripts: [], images: [] }, scripts: [], images: [] });
    });
  });
});
