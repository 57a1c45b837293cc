import {
  connectionsFor,
  encodeRequests,
  recordFailure,
  sweepTimeouts,
  type Connection,
  type ConnectionEvents,
  type EncodedRequest,
} from './connection.js';
import type { EngineOptions, EngineRun } from './types.js';

/**
 * Closed model: `connections` virtual users, each sending its next request when the previous
 * answer arrives, as autocannon does (and at least as fast: the same connections as the open
 * model, without autocannon's per-response events and header parsing). Latency is from the
 * actual send, so a stall hides in the percentiles (coordinated omission); the open model exists
 * for that.
 */
export function runClosed(options: EngineOptions): EngineRun {
  const { recorder, isFailure } = options;
  const encoded = encodeRequests(options);
  let sent = 0;
  let stopped = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const next = (connection: Connection) => {
    if (stopped) return;
    if (sent >= options.maxRequests) {
      // The request cap ends the run once the last answers are in, as autocannon's does.
      if (!connections.some((c) => c.busy)) stop();
      return;
    }
    const now = performance.now();
    connection.send(encoded[sent % encoded.length] as EncodedRequest, now, now);
    sent += 1;
  };

  const events: ConnectionEvents = {
    response(connection, status, sentAt) {
      if (stopped) return;
      recorder.record(performance.now() - sentAt, status, isFailure(status));
      next(connection);
    },
    failure(connection, error, sentAt) {
      if (stopped) return;
      recordFailure(recorder, error, sentAt);
      // A refused or reset connection reconnects on the next send, which is asynchronous: no busy loop.
      next(connection);
    },
  };

  const connections = connectionsFor(options, events);
  const sweep = sweepTimeouts(connections, options.timeoutMs);
  // The duration ends the run at once; answers still on the wire are not counted (autocannon's way too).
  const deadline = setTimeout(() => stop(), options.durationMs);

  function stop(): void {
    if (stopped) return;
    stopped = true;
    clearTimeout(deadline);
    clearInterval(sweep);
    for (const c of connections) c.close();
    finish();
  }
  options.signal?.addEventListener('abort', stop, { once: true });
  for (const c of connections) next(c);
  return { done: finished, stop };
}
