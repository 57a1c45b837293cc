/** Timestamped samples kept for a trailing window; bounded so a flood of requests cannot grow memory. */
export class SampleWindow<T> {
  private readonly items: { at: number; value: T }[] = [];

  constructor(
    private readonly keepMs: number,
    private readonly maxItems = 50_000,
  ) {}

  push(at: number, value: T): void {
    this.items.push({ at, value });
    if (this.items.length > this.maxItems) this.items.splice(0, this.items.length - this.maxItems);
  }

  /** Samples with from < at <= to, like a PromQL range selector ending at `to`. */
  between(from: number, to: number): T[] {
    this.prune(to);
    return this.items.filter((s) => s.at > from && s.at <= to).map((s) => s.value);
  }

  get size(): number {
    return this.items.length;
  }

  private prune(now: number): void {
    const cutoff = now - this.keepMs;
    let drop = 0;
    while (drop < this.items.length && (this.items[drop]?.at ?? Infinity) <= cutoff) drop += 1;
    if (drop > 0) this.items.splice(0, drop);
  }
}
