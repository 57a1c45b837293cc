import { connectionsFor, encodeRequests, recordFailure, sweepTimeouts, type Connection, type ConnectionEvents } from './connection.js';
import type { EngineOptions, EngineRun } from './types.js';

export interface ClosedEngineOptions extends EngineOptions {
  /** Each virtual user waits this long after an answer before its next request (a k6 iteration's sleep). Default 0. */
  readonly thinkTimeMs?: number;
}

/**
 * Closed model: `connections` virtual users, each sending its next request the moment the previous
 * answer arrives (or `thinkTimeMs` after it), cycling through the scenario's requests in order.
 * Latency is from the actual send, so a stall hides in the percentiles (coordinated omission); the
 * open model exists for that.
 * It runs on the open model's connections (load/engines/connection.ts): one parser and one framing
 * for both models, the target's certificate verified, timeouts to the millisecond.
 */
export function runClosed(options: ClosedEngineOptions): EngineRun {
  const { recorder, isFailure } = options;
  const cycle = encodeRequests(options);
  const thinkTimeMs = options.thinkTimeMs ?? 0;
  const thinking = new Set<NodeJS.Timeout>();
  let inFlight = 0;
  let stopped = false;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const sendNext = (connection: Connection, now: number): void => {
    if (stopped || connection.sent >= connection.limit || cycle.length === 0) {
      inFlight -= 1;
      if (inFlight <= 0) finish();
      return;
    }
    connection.send(cycle[connection.sent % cycle.length] as (typeof cycle)[number], now, now);
  };
  // The think time is not latency: the next request's clock starts when it is sent.
  const afterAnswer =
    thinkTimeMs <= 0
      ? sendNext
      : (connection: Connection): void => {
          const timer = setTimeout(() => {
            thinking.delete(timer);
            sendNext(connection, performance.now());
          }, thinkTimeMs);
          thinking.add(timer);
        };

  // Shared by every connection: no allocation per answer, which comes tens of thousands of times a second.
  const events: ConnectionEvents = {
    response(connection, status, sentAt) {
      const now = performance.now();
      if (!stopped) recorder.record(now - sentAt, status, isFailure(status));
      afterAnswer(connection, now);
    },
    failure(connection, error, sentAt) {
      // Requests cut short by the end of the run or a stop (Ctrl-C) are not the server's failures.
      if (!stopped) recordFailure(recorder, error, sentAt);
      afterAnswer(connection, performance.now());
    },
  };

  const connections = connectionsFor(options, events);
  // The cap shared out as autocannon does, so that each virtual user ends on a whole cycle when it divides evenly.
  const share = Math.floor(options.maxRequests / connections.length);
  connections.forEach((connection, i) => {
    connection.limit = share + (i < options.maxRequests % connections.length ? 1 : 0);
  });
  const stop = (): void => {
    stopped = true;
    finish();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  const sweep = sweepTimeouts(connections, options.timeoutMs);
  const durationTimer = setTimeout(stop, options.durationMs);
  recorder.restart();
  const now = performance.now();
  inFlight = connections.length;
  for (const connection of connections) sendNext(connection, now);

  const done = finished.then(() => {
    stopped = true;
    clearTimeout(durationTimer);
    clearInterval(sweep);
    for (const timer of thinking) clearTimeout(timer);
    for (const connection of connections) connection.close();
  });
  return { done, stop };
}
