import { setTimeout as sleep } from 'node:timers/promises';
import type { EngineOptions, EngineRun } from './engines/types.js';

/**
 * Closed model with think time: `connections` virtual users, each sending a request, reading the
 * answer, then waiting `thinkTimeSeconds` before the next (as a k6 iteration that sleeps). Latency is
 * from the send; the think time is not part of it. Used only when a scenario sets a think time: without
 * one the closed engine (load/engines/closed.ts) is faster. undici is loaded when such a run starts, not with
 * the load modules (see load/prepare.ts).
 */
export function runClosedWithThinkTime(options: EngineOptions, thinkTimeSeconds: number): EngineRun {
  const { recorder } = options;
  const poolReady = import('undici').then(
    ({ Pool }) =>
      new Pool(options.origin, {
        connections: options.connections,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        ...(options.caPem === undefined ? {} : { connect: { ca: options.caPem } }),
      }),
  );
  const stopper = new AbortController();
  const stop = () => stopper.abort();
  options.signal?.addEventListener('abort', stop, { once: true });
  const deadline = setTimeout(stop, options.durationMs);
  let sent = 0;

  async function user(first: number): Promise<void> {
    const pool = await poolReady;
    for (let index = first; !stopper.signal.aborted && sent < options.maxRequests; index += 1) {
      const request = options.requests[index % options.requests.length];
      if (request === undefined) return;
      sent += 1;
      const started = performance.now();
      try {
        const response = await pool.request({
          method: request.method as 'GET',
          path: request.path,
          headers: request.headers,
          ...(request.body === undefined ? {} : { body: request.body }),
          signal: stopper.signal,
        });
        await response.body.dump();
        recorder.record(performance.now() - started, response.statusCode, options.isFailure(response.statusCode));
      } catch (error) {
        // Requests cut short by the end of the run are not the server's failures.
        if (stopper.signal.aborted) return;
        const timedOut = /timeout/i.test((error as Error).name) || /timeout/i.test((error as Error).message);
        if (timedOut) recorder.record(performance.now() - started, 'timeout', true);
        else recorder.recordError(error);
      }
      await sleep(thinkTimeSeconds * 1000, undefined, { signal: stopper.signal }).catch(() => undefined);
    }
  }

  const users = Array.from({ length: options.connections }, (_, i) => user(i));
  const done = Promise.all(users).then(async () => {
    clearTimeout(deadline);
    options.signal?.removeEventListener('abort', stop);
    await (await poolReady).destroy();
  });
  return { done, stop };
}
