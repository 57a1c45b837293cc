import type { Budgets, ProbeOptions } from '../config/schema.js';
import type { HttpTransport } from '../net/transport.js';
import type { CheckId } from './catalogue.js';
import type { Finding } from './result.js';
import type { Target } from './target.js';

/** One HTTP exchange a probe made, for vor_probe_requests_total / _duration_seconds. */
export interface RequestSample {
  readonly check: CheckId;
  readonly durationSeconds: number;
  readonly outcome: 'success' | 'failure';
}

export interface ProbeContext {
  readonly target: Target;
  readonly options: ProbeOptions;
  readonly budgets: Budgets;
  /** Fires at the probe's timeout (or the run's deadline). Pass it to every request. */
  readonly signal: AbortSignal;
  /** Memoised per run and target: the main document is fetched once for headers, cookies and static checks. */
  observe<T>(key: string, gather: () => Promise<T>): Promise<T>;
  /** Feeds the request metrics; the runner wires it to prom-client in the monitor, to nothing elsewhere. */
  recordRequest(sample: RequestSample): void;
  /** The run's HTTP connections (src/net/http.ts uses it); whoever runs the probes owns and closes it. */
  readonly transport: HttpTransport;
}

/**
 * A family of checks that share one network exchange.
 *
 * @example
 * export const healthProbe = defineProbe({
 *   name: 'health',
 *   checks: ['health.endpoint'],
 *   async run(ctx) { const doc = await fetchHealth(ctx); return [evaluateHealth(doc, ctx.options)]; },
 * });
 */
export interface Probe {
  readonly name: string;
  /** The check ids this probe answers for; the runner guarantees exactly one result for each. */
  readonly checks: readonly CheckId[];
  /** The ids it answers for on one target, where that differs per target (a target's own HTTP checks); default `checks`. */
  checksFor?(target: Target): readonly CheckId[];
  /** False for probes whose traffic must not be repeated (a retry would double a burst). Default true. */
  readonly retry?: boolean;
  /** Overrides options.timeoutMs for this probe (a burst needs longer than one request). */
  readonly timeoutMs?: (options: ProbeOptions) => number;
  run(ctx: ProbeContext): Promise<readonly Finding[]>;
}

export const defineProbe = (probe: Probe): Probe => probe;
