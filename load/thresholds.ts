import { fail, pass, warn, type Finding } from '../src/core/result.js';
import type { LoadSample, LoadStats, LoadWindow } from './sample.js';
import type { LoadMetric, Threshold } from './scenarios/types.js';

/** Windows with fewer requests say little about ratios (the rollback trigger uses the same floor). */
export const MIN_WINDOW_REQUESTS = 20;
/**
 * A window's throughput is judged against this share of the floor: completions bunch at window
 * edges (connection set-up, a slow answer finishing just after the edge), which is noise, not a dip.
 */
export const WINDOW_THROUGHPUT_SLACK = 0.8;

const LABEL: Readonly<Record<LoadMetric, string>> = {
  latencyP95Seconds: 'p95 latency',
  latencyP99Seconds: 'p99 latency',
  errorRatio: 'error rate',
  requestsPerSecond: 'throughput',
};

export function metricValue(stats: LoadStats, metric: LoadMetric): number {
  switch (metric) {
    case 'latencyP95Seconds':
      return stats.latency.p95;
    case 'latencyP99Seconds':
      return stats.latency.p99;
    case 'errorRatio':
      return stats.errorRatio;
    case 'requestsPerSecond':
      return stats.requestsPerSecond;
  }
}

export const limitOf = (t: Threshold): number => ('below' in t ? t.below : t.above);

export function holds(value: number, t: Threshold): boolean {
  return 'below' in t ? value < t.below : value >= t.above;
}

export function formatMetric(metric: LoadMetric, value: number): string {
  if (metric === 'errorRatio') return `${(value * 100).toFixed(2)} %`;
  if (metric === 'requestsPerSecond') return `${value.toFixed(1)} req/s`;
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
}

export const describeThreshold = (t: Threshold): string =>
  `${LABEL[t.metric]} ${'below' in t ? '<' : '≥'} ${formatMetric(t.metric, limitOf(t))}`;

/** A window counts when it has enough requests to judge, and (for throughput) when it is whole. */
function windowCounts(window: LoadWindow, t: Threshold, windowSeconds: number): boolean {
  if (t.metric === 'requestsPerSecond') return window.durationSeconds >= windowSeconds * 0.999;
  if (t.metric === 'errorRatio') return window.requests >= MIN_WINDOW_REQUESTS;
  return window.requests > 0;
}

function windowHolds(window: LoadWindow, t: Threshold): boolean {
  const value = metricValue(window, t.metric);
  return t.metric === 'requestsPerSecond' && 'above' in t ? value >= t.above * WINDOW_THROUGHPUT_SLACK : holds(value, t);
}

export function breachedWindows(sample: LoadSample, t: Threshold, windowSeconds: number): LoadWindow[] {
  return sample.windows.filter((w) => windowCounts(w, t, windowSeconds) && !windowHolds(w, t));
}

export interface EvaluateContext {
  readonly scenario: string;
  readonly origin: string;
  readonly windowSeconds: number;
  /** A breached window fails the threshold (the run was meant to stop at it) rather than warning. */
  readonly windowBreachFails: boolean;
}

/**
 * One threshold → one Finding. The whole run decides pass/fail; a run that holds overall but
 * breaks in some window warns (or fails under --abort-on-breach), naming the windows.
 */
export function evaluateThreshold(sample: LoadSample, t: Threshold, ctx: EvaluateContext): Finding {
  const value = metricValue(sample.overall, t.metric);
  const breached = breachedWindows(sample, t, ctx.windowSeconds);
  const evidence = {
    scenario: ctx.scenario,
    metric: t.metric,
    value,
    limit: limitOf(t),
    comparison: 'below' in t ? 'below' : 'at_least',
    requests: sample.overall.requests,
    failed: sample.overall.failed,
    windowSeconds: ctx.windowSeconds,
    windows: sample.windows.length,
    breachedWindows: breached.map((w) => ({ startSeconds: w.startSeconds, value: metricValue(w, t.metric) })),
    ...(t.metric === 'errorRatio' ? { outcomes: sample.overall.outcomes } : {}),
  };
  const measured = `${LABEL[t.metric]} ${formatMetric(t.metric, value)}`;
  const where = `${ctx.scenario} on ${ctx.origin}`;
  if (sample.overall.requests === 0) {
    return fail(t.id, 'no_requests', `no request completed during the ${ctx.scenario} load on ${ctx.origin}`, evidence);
  }
  if (!holds(value, t)) {
    const reason = t.metric === 'requestsPerSecond' ? 'below_minimum' : 'above_limit';
    return fail(t.id, reason, `${measured} breaks ${describeThreshold(t)} (${where})`, evidence);
  }
  if (breached.length > 0) {
    const first = breached[0];
    const detail = `${measured} overall holds ${describeThreshold(t)}, but ${breached.length} of ${sample.windows.length} windows of ${ctx.windowSeconds} s broke it (first at ${first?.startSeconds ?? 0} s: ${formatMetric(t.metric, first === undefined ? 0 : metricValue(first, t.metric))}) (${where})`;
    return ctx.windowBreachFails ? fail(t.id, 'window_breach', detail, evidence) : warn(t.id, 'window_breach', detail, evidence);
  }
  return pass(t.id, `${measured} holds ${describeThreshold(t)} (${where})`, evidence);
}
