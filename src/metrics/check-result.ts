import type { Gauge, Registry } from 'prom-client';
import { STATUSES, type Status } from '../core/result.js';

interface LastResult {
  readonly target: string;
  readonly check: string;
  readonly severity: string;
  readonly status: Status;
}

/**
 * vor_check_result: per check, 1 on the series of its last status and 0 on the others. A prom-client
 * Gauge kept all five series as objects (19,500 at 100 targets, the largest part of the monitor's
 * series) and set five per result; this keeps one entry per (target, check) and writes the five
 * series only when scraped, in the order and with the labels the Gauge wrote. A check whose severity
 * changes (a config reload) moves its series to the new severity instead of leaving the old ones behind.
 */
export class CheckResultMetric {
  readonly name = 'vor_check_result';
  readonly help = `Last status of a check: 1 on its status series, 0 on the others (${STATUSES.join(', ')}); severity is the check's.`;
  readonly type = 'gauge';
  readonly aggregator = 'sum';
  private readonly last = new Map<string, LastResult>();

  constructor(registers: readonly Registry[]) {
    // prom-client's registry takes any object with its metrics' shape (name, help, type, get, reset).
    for (const registry of registers) registry.registerMetric(this as unknown as Gauge);
  }

  set(target: string, check: string, severity: string, status: Status): void {
    this.last.set(`${target}\u0000${check}`, { target, check, severity, status });
  }

  reset(): void {
    this.last.clear();
  }

  get(): { name: string; help: string; type: string; aggregator: string; values: { value: number; labels: Record<string, string> }[] } {
    const values: { value: number; labels: Record<string, string> }[] = [];
    for (const r of this.last.values()) {
      for (const status of STATUSES)
        values.push({ value: status === r.status ? 1 : 0, labels: { target: r.target, check: r.check, severity: r.severity, status } });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }
}
