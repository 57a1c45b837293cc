import type { ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

/**
 * Writes the registry's Prometheus text exposition (the registry's type rules out OpenMetrics, whose
 * counter renaming prom-client does only in metrics()) one metric at a time, waiting for the socket
 * between them. The bytes are those of `registry.metrics()`, but with 100 targets that text is
 * tens of thousands of lines: built whole, it and its pieces were the monitor's peak of memory at
 * every scrape. A collection that fails before anything is sent answers 500; one that fails later
 * cuts the response short, which Prometheus records as a failed scrape.
 */
export async function writeExposition(registry: Registry, res: ServerResponse): Promise<void> {
  let sent = false;
  try {
    for (const metric of registry.getMetricsAsArray()) {
      const text = await registry.getSingleMetricAsString(metric.name);
      if (res.destroyed) return;
      if (!sent) res.writeHead(200, { 'content-type': registry.contentType });
      const more = res.write(sent ? `\n\n${text}` : text);
      sent = true;
      if (!more) await drainedOrClosed(res);
    }
    if (!sent) res.writeHead(200, { 'content-type': registry.contentType });
    res.end('\n');
  } catch (error) {
    if (sent) res.destroy(error instanceof Error ? error : new Error(String(error)));
    else res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics collection failed: ${String(error)}\n`);
  }
}

/** A scraper that goes away mid-answer never drains the socket: its close ends the wait too. */
const drainedOrClosed = (res: ServerResponse): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
