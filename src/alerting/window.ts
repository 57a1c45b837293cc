import { REQUEST_PURPOSES, type RequestPurpose } from '../metrics/purpose.js';

export interface RequestObservation {
  readonly durationSeconds: number;
  readonly outcome: 'success' | 'failure';
  /** Only `user` requests feed the error-rate and latency triggers; the others are counted apart. */
  readonly purpose: RequestPurpose;
}

const FAILURE_BIT = 0b100;

/**
 * A target's probe requests for a trailing window, bounded so a flood of requests cannot grow
 * memory. Kept as columns in typed arrays (17 bytes a request) rather than an object per request
 * (about 100 bytes): a monitor of 100 targets holds some 66,000 of them in a 5-minute window.
 */
export class RequestWindow {
  private at = new Float64Array(64);
  private durations = new Float64Array(64);
  /** The purpose's index in REQUEST_PURPOSES, with FAILURE_BIT set for a failure. */
  private kinds = new Uint8Array(64);
  private head = 0;
  private count = 0;

  constructor(
    private readonly keepMs: number,
    private readonly maxItems = 50_000,
  ) {}

  push(at: number, sample: RequestObservation): void {
    if (this.count === this.at.length) {
      if (this.count < this.maxItems) this.grow(Math.min(this.maxItems, this.count * 2));
      else this.dropOldest(1);
    }
    const slot = (this.head + this.count) % this.at.length;
    this.at[slot] = at;
    this.durations[slot] = sample.durationSeconds;
    this.kinds[slot] = REQUEST_PURPOSES.indexOf(sample.purpose) | (sample.outcome === 'failure' ? FAILURE_BIT : 0);
    this.count += 1;
  }

  /** Samples with from < at <= to, like a PromQL range selector ending at `to`. */
  between(from: number, to: number): RequestObservation[] {
    this.prune(to);
    const found: RequestObservation[] = [];
    for (let i = 0; i < this.count; i += 1) {
      const slot = (this.head + i) % this.at.length;
      const at = this.at[slot] ?? 0;
      if (at <= from || at > to) continue;
      const kind = this.kinds[slot] ?? 0;
      found.push({
        durationSeconds: this.durations[slot] ?? 0,
        outcome: (kind & FAILURE_BIT) === 0 ? 'success' : 'failure',
        purpose: REQUEST_PURPOSES[kind & ~FAILURE_BIT] ?? 'user',
      });
    }
    return found;
  }

  get size(): number {
    return this.count;
  }

  private prune(now: number): void {
    const cutoff = now - this.keepMs;
    let drop = 0;
    while (drop < this.count && (this.at[(this.head + drop) % this.at.length] ?? Infinity) <= cutoff) drop += 1;
    this.dropOldest(drop);
  }

  private dropOldest(n: number): void {
    this.head = (this.head + n) % this.at.length;
    this.count -= n;
  }

  private grow(capacity: number): void {
    const order = Array.from({ length: this.count }, (_, i) => (this.head + i) % this.at.length);
    const at = new Float64Array(capacity);
    const durations = new Float64Array(capacity);
    const kinds = new Uint8Array(capacity);
    order.forEach((slot, i) => {
      at[i] = this.at[slot] ?? 0;
      durations[i] = this.durations[slot] ?? 0;
      kinds[i] = this.kinds[slot] ?? 0;
    });
    this.at = at;
    this.durations = durations;
    this.kinds = kinds;
    this.head = 0;
  }
}
