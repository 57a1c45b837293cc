import assert from 'node:assert/strict';
import { createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { writeExposition } from './exposition.js';

const servers: Server[] = [];
after(() => servers.forEach((s) => s.close()));

/** Serves the registry through writeExposition; `written` holds each answer's promise. */
async function serve(registry: Registry): Promise<{ url: string; written: Promise<void>[] }> {
  const written: Promise<void>[] = [];
  const server = createServer((_req, res) => void written.push(writeExposition(registry, res)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`, written };
}

function sampleRegistry(): Registry {
  const registry = new Registry();
  new Counter({ name: 'vor_test_total', help: 'a counter', registers: [registry] }).inc(3);
  const gauge = new Gauge({
    name: 'vor_test_up',
    help: 'with "quotes" and \\ backslash',
    labelNames: ['target', 'check'],
    registers: [registry],
  });
  gauge.set({ target: 'https://a.example/"x"', check: 'tls.expiry' }, 1);
  gauge.set({ target: 'b\nnewline', check: 'health' }, 0);
  const histogram = new Histogram({
    name: 'vor_test_seconds',
    help: 'a histogram',
    labelNames: ['target'],
    buckets: [0.1, 1],
    registers: [registry],
  });
  histogram.observe({ target: 'a' }, 0.5);
  return registry;
}

describe('the /metrics exposition, written one metric at a time', () => {
  it('is byte for byte what registry.metrics() renders, with its content type', async () => {
    const registry = sampleRegistry();
    const { url } = await serve(registry);
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), registry.contentType);
    assert.equal(await response.text(), await registry.metrics());
  });

  it('an empty registry answers what metrics() does', async () => {
    const registry = new Registry();
    const { url } = await serve(registry);
    assert.equal(await (await fetch(url)).text(), await registry.metrics());
  });

  it('a large exposition (100,000 series) arrives whole and in order', async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'vor_test_series', help: 'many series', labelNames: ['i'], registers: [registry] });
    for (let i = 0; i < 100_000; i += 1) gauge.set({ i: String(i) }, i);
    new Counter({ name: 'vor_test_after_total', help: 'after the big one', registers: [registry] }).inc();
    const { url } = await serve(registry);
    assert.equal(await (await fetch(url)).text(), await registry.metrics());
  });

  it('a collection that fails first answers 500 naming the error; one that fails later cuts the answer short', async () => {
    const failing = new Registry();
    new Gauge({
      name: 'vor_test_broken',
      help: 'fails',
      registers: [failing],
      collect: () => Promise.reject(new Error('the probe store is gone')),
    });
    const first = await fetch((await serve(failing)).url);
    assert.equal(first.status, 500);
    assert.match(await first.text(), /metrics collection failed: Error: the probe store is gone/);

    const later = sampleRegistry();
    new Gauge({ name: 'vor_test_broken', help: 'fails', registers: [later], collect: () => Promise.reject(new Error('gone')) });
    // Headers may or may not have left before the cut: either way the scrape must fail, not look complete.
    const scrape = await fetch((await serve(later)).url)
      .then((response) => response.text())
      .then(
        () => 'complete',
        () => 'failed',
      );
    assert.equal(scrape, 'failed');
  });

  it('a scraper that leaves mid-answer does not leave the writer waiting', { timeout: 20_000 }, async () => {
    const registry = new Registry();
    const gauge = new Gauge({ name: 'vor_test_series', help: 'many series', labelNames: ['i'], registers: [registry] });
    for (let i = 0; i < 100_000; i += 1) gauge.set({ i: `a-long-label-value-to-fill-the-socket-${i}` }, i);
    new Counter({ name: 'vor_test_after_total', help: 'after the big one', registers: [registry] }).inc();
    const { url, written } = await serve(registry);
    await new Promise<void>((resolve, reject) => {
      const request = get(url, (res) => {
        res.pause(); // reads nothing more, so the server's socket fills up
        setTimeout(() => {
          request.destroy();
          resolve();
        }, 300);
      });
      request.on('error', () => undefined);
      request.on('close', resolve);
      setTimeout(() => reject(new Error('no answer')), 5000);
    });
    const outcome = await Promise.race([written[0]?.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still waiting'), 5000))]);
    assert.equal(outcome, 'ended');
  });
});
