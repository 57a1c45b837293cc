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
 * From this rate up, the open model polls the event loop (setImmediate) for the last millisecond
 * before a due send instead of sleeping on a timer: timers have 1 ms resolution, so every request
 * would otherwise leave up to 1 ms late, and that lateness is latency the server did not cause
 * (about 0.5 ms added to the median against a fast server). Polling keeps one core busy.
 */
export const POLLING_RATE = 1000;

/** Whether the scheduler, `waitMs` before the next due send at `rate` a second, polls rather than sets a timer. */
export function wakesByPolling(rate: number, waitMs: number): boolean {
  return rate >= POLLING_RATE && waitMs < 1;
}

export interface OpenEngineOptions extends EngineOptions {
  /** Target arrival rate, requests per second, independent of how fast answers come back. */
  readonly rate: number;
  /** Requests allowed to wait for a free connection; beyond it a request is counted as failed ("overload"). */
  readonly maxQueued?: number;
  /**
   * Sent at the same rate before the measured part and not recorded: the client's own start-up
   * (JIT, first allocations) would otherwise show as a latency spike of the target's. Default 0.
   */
  readonly warmupMs?: number;
}

/**
 * Open model: request i is due at start + i/rate whatever the server does, and its latency is
 * measured from that intended send time, not from when a connection was free to carry it. A
 * stalling server therefore shows as the queue it really causes: no coordinated omission.
 */
export function runOpen(options: OpenEngineOptions): EngineRun {
  const { recorder } = options;
  const encoded = encodeRequests(options);
  const intervalMs = 1000 / options.rate;
  const warmupCount = Math.floor(((options.warmupMs ?? 0) / 1000) * options.rate);
  const measured = Math.min(options.maxRequests, Math.max(1, Math.floor((options.durationMs / 1000) * options.rate)));
  const total = warmupCount + measured;
  const maxQueued = options.maxQueued ?? Math.max(10_000, Math.ceil(options.rate * (options.timeoutMs / 1000)));
  // Requests waiting for a free connection, FIFO: their intended send times and request indexes.
  const queuedAt: number[] = [];
  const queuedIndex: number[] = [];
  let queueHead = 0;
  let start = performance.now();
  let measureFrom = Number.POSITIVE_INFINITY;
  let sent = 0;
  let inFlight = 0;
  let stopped = false;
  /** The schedule's clock has started (connections are up). */
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let poll: NodeJS.Immediate | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  const maybeFinish = () => {
    if ((stopped || sent >= total) && inFlight === 0) finish();
  };

  const release = (connection: Connection) => {
    inFlight -= 1; // the request that just ended; a queued one was counted when it was queued
    if (!stopped && queueHead < queuedAt.length) {
      const intended = queuedAt[queueHead] as number;
      const index = queuedIndex[queueHead] as number;
      queueHead += 1;
      if (queueHead > 4096 && queueHead * 2 > queuedAt.length) {
        queuedAt.splice(0, queueHead);
        queuedIndex.splice(0, queueHead);
        queueHead = 0;
      }
      connection.send(encoded[index % encoded.length] as EncodedRequest, intended, performance.now());
      return;
    }
    idle.push(connection);
    maybeFinish();
  };

  const events: ConnectionEvents = {
    response(connection, status, intended) {
      const now = performance.now();
      if (intended >= measureFrom) {
        recorder.record(now - intended, status, options.isFailure(status));
        recorder.recordServiceTime(now - connection.sentAt);
      }
      release(connection);
      // At a high rate answers come far more often than the timer's 1 ms ticks: each one checks
      // the schedule, so a due request is not held back (and timed late) until the next tick.
      if (running && !stopped && sent < total) sendDue(now);
    },
    failure(connection, error, intended) {
      // Requests cut short by a stop (Ctrl-C) are not the server's failures.
      if (!stopped && intended >= measureFrom) recordFailure(recorder, error, intended);
      release(connection);
    },
  };

  const connections = connectionsFor(options, events);
  const idle: Connection[] = [...connections];

  const send = (index: number) => {
    const intended = start + index * intervalMs;
    if (index === warmupCount) {
      measureFrom = intended;
      recorder.restart(intended);
    }
    const now = performance.now();
    // The generator's own lateness, whether or not a connection is free: a late timer or a busy
    // event loop here is ours, not the server's.
    if (intended >= measureFrom) recorder.recordSendLag(now - intended);
    const connection = idle.pop();
    if (connection !== undefined) {
      inFlight += 1;
      connection.send(encoded[index % encoded.length] as EncodedRequest, intended, now);
    } else if (queuedAt.length - queueHead < maxQueued) {
      inFlight += 1;
      queuedAt.push(intended);
      queuedIndex.push(index);
    } else if (intended >= measureFrom) {
      recorder.record(undefined, 'overload', true);
    }
  };

  // The schedule is over; answers still owed get one request timeout, then count as timed out.
  const giveUp = () => {
    const now = performance.now();
    for (let i = queueHead; i < queuedAt.length; i += 1) recorder.record(now - (queuedAt[i] as number), 'timeout', true);
    queuedAt.length = 0;
    queuedIndex.length = 0;
    queueHead = 0;
    for (const c of connections) if (c.busy) c.timeout();
    stop();
  };

  function sendDue(now: number): void {
    const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
    while (sent < due) send(sent++);
  }

  const tick = () => {
    timer = undefined;
    poll = undefined;
    if (stopped) return;
    sendDue(performance.now());
    if (sent >= total) {
      maybeFinish();
      drainTimer = setTimeout(giveUp, options.timeoutMs);
      return;
    }
    const wait = start + sent * intervalMs - performance.now();
    if (wakesByPolling(options.rate, wait)) poll = setImmediate(tick);
    else timer = setTimeout(tick, Math.max(0, wait));
  };

  const sweep = sweepTimeouts(connections, options.timeoutMs);

  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    if (poll !== undefined) clearImmediate(poll);
    finish();
  };
  options.signal?.addEventListener('abort', stop, { once: true });

  // Connections open first; the schedule's clock starts when they are up (or have failed).
  void Promise.all(connections.map((c) => c.open())).then(() => {
    start = performance.now();
    running = true;
    tick();
  });

  const done = finished.then(() => {
    stopped = true;
    clearInterval(sweep);
    if (drainTimer !== undefined) clearTimeout(drainTimer);
    for (const c of connections) c.close();
  });
  return { done, stop };
}
