import autocannon from 'autocannon';
import type { EngineOptions, EngineRun } from './types.js';

/**
 * Closed model: `connections` virtual users, each sending its next request when the previous
 * answer arrives (autocannon). Latency is from the actual send, so a stall hides in the
 * percentiles (coordinated omission); the open model exists for that.
 */
export function runClosed(options: EngineOptions): EngineRun {
  const { recorder } = options;
  const url = new URL(options.origin);
  let instance: autocannon.Instance | undefined;
  const done = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url: url.origin,
        connections: options.connections,
        duration: options.durationMs / 1000,
        maxOverallRequests: options.maxRequests,
        timeout: Math.max(1, Math.ceil(options.timeoutMs / 1000)),
        requests: options.requests.map((r) => ({
          method: r.method,
          path: r.path,
          headers: { ...r.headers },
          ...(r.body === undefined ? {} : { body: r.body }),
        })),
        ...(options.caPem === undefined ? {} : { tlsOptions: { ca: options.caPem } }),
        // Nothing to render: we keep our own histograms.
        skipAggregateResult: true,
      } as autocannon.Options,
      (error) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve()),
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTimeMs: number) => {
      recorder.record(responseTimeMs, statusCode, options.isFailure(statusCode));
    });
    instance.on('reqError', (error: Error) => {
      const timedOut = /timed out/i.test(error.message);
      recorder.record(timedOut ? options.timeoutMs : undefined, timedOut ? 'timeout' : 'error', true);
    });
  });
  const stop = () => instance?.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  return { done, stop };
}
