import * as hdr from 'hdr-histogram-js';
import { classifyFailure } from '../src/net/failure.js';

/** Latency in seconds; the only unit that leaves this module. */
export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface LoadStats {
  readonly requests: number;
  readonly failed: number;
  readonly errorRatio: number;
  readonly requestsPerSecond: number;
  readonly durationSeconds: number;
  readonly latency: LatencySummary;
  /** Status code (or "error"/"timeout") → count. */
  readonly outcomes: Readonly<Record<string, number>>;
}

export interface LoadWindow extends LoadStats {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** A duration's distribution over a run's requests, in seconds. */
export interface DurationSummary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Open model: how late the generator itself sent requests (actual minus intended send time, in
 * seconds), apart from any queueing the server caused. Large values mean the latency figures
 * include the generator's own delay.
 */
export type SendLagSummary = DurationSummary;

/**
 * Open model: each answer timed from the moment its request went on the wire, as closed-loop tools
 * (wrk, autocannon) time it. The latency (from the intended send time) minus this is the time spent
 * queued for a connection: what coordinated omission would hide.
 */
export type ServiceTimeSummary = DurationSummary;

/** Why requests got no answer: one entry per kind (src/net/failure.ts reasons), the most frequent first. */
export interface FailureCause {
  readonly reason: string;
  readonly count: number;
  /** The first such failure's message, e.g. "UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate". */
  readonly example: string;
}

/** What one load run measured: the whole run, each window, and the percentile curve for the chart. */
export interface LoadSample {
  readonly overall: LoadStats;
  readonly windows: readonly LoadWindow[];
  readonly percentiles: readonly { readonly percentile: number; readonly seconds: number }[];
  /** Only from the open model, which has an intended send time per request. */
  readonly sendLag?: SendLagSummary;
  /** Only from the open model: its latency without the queueing (wrk2's "uncorrected" latency). */
  readonly serviceTime?: ServiceTimeSummary;
  /** Requests that failed without an answer (outcome "error"), by cause; absent when there were none. */
  readonly failureCauses?: readonly FailureCause[];
}

const PERCENTILE_CURVE = [0, 10, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.9, 99.99, 100];
const MICROS_PER_SECOND = 1_000_000;
const MAX_MICROS = 120 * MICROS_PER_SECOND;

const newHistogram = (): hdr.Histogram =>
  hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_MICROS, numberOfSignificantValueDigits: 3 });

function recordMillis(histogram: hdr.Histogram, ms: number): void {
  const micros = Math.round(ms * 1000);
  histogram.recordValue(micros < 1 ? 1 : micros > MAX_MICROS ? MAX_MICROS : micros);
}

const durationSummary = (h: hdr.Histogram): DurationSummary => ({
  count: h.totalCount,
  p50: h.getValueAtPercentile(50) / MICROS_PER_SECOND,
  p99: h.getValueAtPercentile(99) / MICROS_PER_SECOND,
  max: h.maxValue / MICROS_PER_SECOND,
});

class Bucket {
  readonly histogram = newHistogram();
  requests = 0;
  failed = 0;
  /** The timed requests' latencies added up: an exact mean without walking the histogram each window. */
  private sumMicros = 0;
  /** Status codes counted in an array: this runs once per request at tens of thousands per second. */
  private readonly statuses = new Int32Array(600);
  private readonly otherOutcomes = new Map<string, number>();

  /** micros is undefined for a request that never got an answer (refused, reset): counted, not timed. */
  add(micros: number | undefined, outcome: number | string, failed: boolean): void {
    this.requests += 1;
    if (micros !== undefined) {
      const clamped = micros < 1 ? 1 : micros > MAX_MICROS ? MAX_MICROS : micros;
      this.histogram.recordValue(clamped);
      this.sumMicros += clamped;
    }
    if (failed) this.failed += 1;
    if (typeof outcome === 'number' && outcome >= 0 && outcome < 600) this.statuses[outcome] = (this.statuses[outcome] ?? 0) + 1;
    else this.otherOutcomes.set(String(outcome), (this.otherOutcomes.get(String(outcome)) ?? 0) + 1);
  }

  merge(other: Bucket): void {
    this.histogram.add(other.histogram);
    this.sumMicros += other.sumMicros;
    this.requests += other.requests;
    this.failed += other.failed;
    for (let code = 0; code < 600; code += 1) this.statuses[code] = (this.statuses[code] ?? 0) + (other.statuses[code] ?? 0);
    for (const [k, v] of other.otherOutcomes) this.otherOutcomes.set(k, (this.otherOutcomes.get(k) ?? 0) + v);
  }

  private outcomes(): Record<string, number> {
    const out: Record<string, number> = {};
    this.statuses.forEach((count, code) => {
      if (count > 0) out[String(code)] = count;
    });
    for (const [k, v] of this.otherOutcomes) out[k] = v;
    return out;
  }

  stats(durationSeconds: number): LoadStats {
    const h = this.histogram;
    const seconds = (micros: number) => micros / MICROS_PER_SECOND;
    const requests = this.requests;
    const timed = h.totalCount > 0;
    return {
      requests,
      failed: this.failed,
      errorRatio: requests === 0 ? 0 : this.failed / requests,
      requestsPerSecond: durationSeconds > 0 ? requests / durationSeconds : 0,
      durationSeconds,
      latency: {
        p50: seconds(h.getValueAtPercentile(50)),
        p90: seconds(h.getValueAtPercentile(90)),
        p95: seconds(h.getValueAtPercentile(95)),
        p99: seconds(h.getValueAtPercentile(99)),
        max: seconds(h.maxValue),
        mean: timed ? seconds(this.sumMicros / h.totalCount) : 0,
      },
      outcomes: this.outcomes(),
    };
  }
}

export interface WindowListener {
  (window: LoadWindow): void;
}

/**
 * Collects every completed request into one HDR histogram per time window (by completion time,
 * to the ticker's 100 ms resolution); the whole run is their sum. Engines call `record` with
 * milliseconds; seconds come out.
 */
export class LoadRecorder {
  private windows: Bucket[] = [new Bucket()];
  private started: number;
  private current: Bucket;
  private currentIndex = 0;
  private closedWindows = 0;
  private total = 0;
  private failedTotal = 0;
  private readonly listeners: WindowListener[] = [];
  private sendLag = newHistogram();
  private serviceTime = newHistogram();
  private causes = new Map<string, { count: number; example: string }>();

  /** Windows do not close until restart() (the open model's schedule starts after its connections are up). */
  private waiting: boolean;

  constructor(
    readonly windowMs: number,
    now: number = performance.now(),
    { waitForStart = false }: { waitForStart?: boolean } = {},
  ) {
    this.started = now;
    this.waiting = waitForStart;
    this.current = this.windows[0] as Bucket;
  }

  get startTime(): number {
    return this.started;
  }

  get count(): number {
    return this.total;
  }

  get failedCount(): number {
    return this.failedTotal;
  }

  /** Starts the clock again with nothing recorded: the open model calls it when its warm-up ends. */
  restart(now: number = performance.now()): void {
    this.waiting = false;
    this.started = now;
    this.windows = [new Bucket()];
    this.current = this.windows[0] as Bucket;
    this.currentIndex = 0;
    this.closedWindows = 0;
    this.total = 0;
    this.failedTotal = 0;
    this.sendLag = newHistogram();
    this.serviceTime = newHistogram();
    this.causes = new Map();
  }

  onWindow(listener: WindowListener): void {
    this.listeners.push(listener);
  }

  /**
   * latencyMs is measured from the intended send time in the open model, from the actual send in
   * the closed one. `now` moves to a later window; without it the window the last tick chose is used.
   */
  record(latencyMs: number | undefined, outcome: number | string, failed: boolean, now?: number): void {
    if (now !== undefined) this.tick(now);
    this.current.add(latencyMs === undefined ? undefined : Math.round(latencyMs * 1000), outcome, failed);
    this.total += 1;
    if (failed) this.failedTotal += 1;
  }

  /** A request that failed without an answer: counted as outcome "error", and its cause kept here. */
  recordError(error: unknown, now?: number): void {
    this.record(undefined, 'error', true, now);
    const { reason, detail } = classifyFailure(error);
    const known = this.causes.get(reason);
    if (known === undefined) this.causes.set(reason, { count: 1, example: detail.slice(0, 300) });
    else known.count += 1;
  }

  /** The open model's own lateness for one request: actual minus intended send time. */
  recordSendLag(lagMs: number): void {
    recordMillis(this.sendLag, lagMs);
  }

  /** The open model's answer timed from its actual send on the wire (not from its intended send time). */
  recordServiceTime(ms: number): void {
    recordMillis(this.serviceTime, ms);
  }

  /** Moves to the window `now` falls in and closes the ones before it (even when nothing completes). */
  tick(now: number = performance.now()): void {
    if (this.waiting) return;
    const index = Math.max(0, Math.floor((now - this.started) / this.windowMs));
    if (index <= this.currentIndex) return;
    while (this.windows.length <= index) this.windows.push(new Bucket());
    this.currentIndex = index;
    this.current = this.windows[index] as Bucket;
    while (this.closedWindows < index) {
      const window = this.windowAt(this.closedWindows, this.windowMs / 1000);
      this.closedWindows += 1;
      for (const listener of this.listeners) listener(window);
    }
  }

  private windowAt(index: number, lengthSeconds: number): LoadWindow {
    const bucket = this.windows[index] ?? new Bucket();
    const startSeconds = (index * this.windowMs) / 1000;
    return { ...bucket.stats(lengthSeconds), startSeconds, endSeconds: startSeconds + lengthSeconds };
  }

  /** The sample so far; the last window may be partial and is cut at `now`. */
  snapshot(now: number = performance.now()): LoadSample {
    const elapsedSeconds = Math.max(0.001, (now - this.started) / 1000);
    const windowSeconds = this.windowMs / 1000;
    const windows: LoadWindow[] = [];
    const overall = new Bucket();
    for (let i = 0; i < this.windows.length; i += 1) {
      const start = i * windowSeconds;
      windows.push(this.windowAt(i, Math.max(0.001, Math.min(windowSeconds, elapsedSeconds - start))));
      overall.merge(this.windows[i] as Bucket);
    }
    const h = overall.histogram;
    return {
      overall: overall.stats(elapsedSeconds),
      windows,
      percentiles:
        h.totalCount === 0
          ? []
          : PERCENTILE_CURVE.map((percentile) => ({ percentile, seconds: h.getValueAtPercentile(percentile) / MICROS_PER_SECOND })),
      ...(this.sendLag.totalCount === 0 ? {} : { sendLag: durationSummary(this.sendLag) }),
      ...(this.serviceTime.totalCount === 0 ? {} : { serviceTime: durationSummary(this.serviceTime) }),
      ...(this.causes.size === 0
        ? {}
        : { failureCauses: [...this.causes].map(([reason, c]) => ({ reason, ...c })).sort((a, b) => b.count - a.count) }),
    };
  }
}
