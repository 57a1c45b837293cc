import { fail, pass, warn, type Finding } from '../src/core/result.js';
import { compare } from './k6/summary.js';
import type { FailureCause, LoadSample, LoadStats, LoadWindow } from './sample.js';
import type { Comparison, LoadMetric, Threshold } from './scenarios/types.js';

/** Windows with fewer requests say little about ratios (the rollback trigger uses the same floor). */
export const MIN_WINDOW_REQUESTS = 20;
/**
 * A window's throughput is judged against this share of the floor: completions bunch at window
 * edges (connection set-up, a slow answer finishing just after the edge), which is noise, not a dip.
 */
export const WINDOW_THROUGHPUT_SLACK = 0.8;

export const METRIC_LABELS: Readonly<Record<LoadMetric, string>> = {
  latencyP50Seconds: 'median latency',
  latencyP90Seconds: 'p90 latency',
  latencyP95Seconds: 'p95 latency',
  latencyP99Seconds: 'p99 latency',
  latencyMeanSeconds: 'mean latency',
  latencyMaxSeconds: 'max latency',
  errorRatio: 'error rate',
  requestsPerSecond: 'throughput',
  requestCount: 'requests',
  checksRatio: 'answers without a server error',
};

/** Answers that are not 5xx, as a share of all requests (k6's check "not a server error"). */
function checksRatioOf(stats: LoadStats): number {
  if (stats.requests === 0) return 0;
  const serverErrors = Object.entries(stats.outcomes)
    .filter(([outcome]) => /^5\d\d$/.test(outcome))
    .reduce((sum, [, count]) => sum + count, 0);
  return 1 - serverErrors / stats.requests;
}

export function metricValue(stats: LoadStats, metric: LoadMetric): number {
  switch (metric) {
    case 'latencyP50Seconds':
      return stats.latency.p50;
    case 'latencyP90Seconds':
      return stats.latency.p90;
    case 'latencyP95Seconds':
      return stats.latency.p95;
    case 'latencyP99Seconds':
      return stats.latency.p99;
    case 'latencyMeanSeconds':
      return stats.latency.mean;
    case 'latencyMaxSeconds':
      return stats.latency.max;
    case 'errorRatio':
      return stats.errorRatio;
    case 'requestsPerSecond':
      return stats.requestsPerSecond;
    case 'requestCount':
      return stats.requests;
    case 'checksRatio':
      return checksRatioOf(stats);
  }
}

export const limitOf = (t: Threshold): number => ('below' in t ? t.below : 'above' in t ? t.above : t.limit);

/** The comparison a threshold makes: below is <, above is >= (at least). */
export const comparisonOf = (t: Threshold): Comparison => ('below' in t ? '<' : 'above' in t ? '>=' : t.op);

export const holds = (value: number, t: Threshold): boolean => compare(value, comparisonOf(t), limitOf(t));

/** A floor: the value must stay above the limit (throughput, the share of good answers). */
const isFloor = (t: Threshold): boolean => ['>', '>='].includes(comparisonOf(t));

export function formatMetric(metric: LoadMetric, value: number): string {
  if (metric === 'errorRatio' || metric === 'checksRatio') return `${(value * 100).toFixed(2)} %`;
  if (metric === 'requestsPerSecond') return `${value.toFixed(1)} req/s`;
  if (metric === 'requestCount') return `${value}`;
  return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(2)} s`;
}

const SYMBOL: Readonly<Record<Comparison, string>> = { '<': '<', '<=': '≤', '>': '>', '>=': '≥', '==': '=', '!=': '≠' };

export const describeThreshold = (t: Threshold): string =>
  `${METRIC_LABELS[t.metric]} ${SYMBOL[comparisonOf(t)]} ${formatMetric(t.metric, limitOf(t))}${t.k6 === undefined ? '' : ` (${t.k6.metric}: ${t.k6.expression})`}`;

/** A window counts when it has enough requests to judge, and (for throughput) when it is whole. */
function windowCounts(window: LoadWindow, t: Threshold, windowSeconds: number): boolean {
  if (t.metric === 'requestCount') return false; // a count is a whole-run figure
  if (t.metric === 'requestsPerSecond') return window.durationSeconds >= windowSeconds * 0.999;
  if (t.metric === 'errorRatio' || t.metric === 'checksRatio') return window.requests >= MIN_WINDOW_REQUESTS;
  return window.requests > 0;
}

function windowHolds(window: LoadWindow, t: Threshold): boolean {
  const value = metricValue(window, t.metric);
  return t.metric === 'requestsPerSecond' && isFloor(t)
    ? compare(value, comparisonOf(t), limitOf(t) * WINDOW_THROUGHPUT_SLACK)
    : holds(value, t);
}

export function breachedWindows(sample: LoadSample, t: Threshold, windowSeconds: number): LoadWindow[] {
  return sample.windows.filter((w) => windowCounts(w, t, windowSeconds) && !windowHolds(w, t));
}

const COMPARISON_WORD: Readonly<Record<Comparison, string>> = {
  '<': 'below',
  '<=': 'at_most',
  '>': 'above',
  '>=': 'at_least',
  '==': 'equal',
  '!=': 'not_equal',
};

export interface EvaluateContext {
  readonly scenario: string;
  readonly origin: string;
  readonly windowSeconds: number;
  /** A breached window fails the threshold (the run was meant to stop at it) rather than warning. */
  readonly windowBreachFails: boolean;
  /** Where a figure comes from other than the sample's own stats (k6 runners merged: their check rate). */
  readonly figureOf?: (stats: LoadStats, metric: LoadMetric) => number;
}

/** "; no answer: 4,012 tls_handshake_failed (first: …)" for the two most frequent causes, or "". */
export function describeFailureCauses(causes: readonly FailureCause[] | undefined): string {
  if (causes === undefined || causes.length === 0) return '';
  const top = causes.slice(0, 2).map((c) => `${c.count} ${c.reason} (first: ${c.example})`);
  return `; without an answer: ${top.join(', ')}${causes.length > 2 ? `, and ${causes.length - 2} more kinds` : ''}`;
}

/**
 * One threshold → one Finding. The whole run decides pass/fail; a run that holds overall but
 * breaks in some window warns (or fails under --abort-on-breach), naming the windows.
 */
function judgeThreshold(sample: LoadSample, t: Threshold, ctx: EvaluateContext): Finding {
  const value = (ctx.figureOf ?? metricValue)(sample.overall, t.metric);
  const breached = breachedWindows(sample, t, ctx.windowSeconds);
  const evidence = {
    scenario: ctx.scenario,
    metric: t.metric,
    value,
    limit: limitOf(t),
    comparison: COMPARISON_WORD[comparisonOf(t)],
    ...(t.k6 === undefined ? {} : { k6: `${t.k6.metric}: ${t.k6.expression}` }),
    requests: sample.overall.requests,
    failed: sample.overall.failed,
    windowSeconds: ctx.windowSeconds,
    windows: sample.windows.length,
    breachedWindows: breached.map((w) => ({ startSeconds: w.startSeconds, value: metricValue(w, t.metric) })),
    ...(t.metric === 'errorRatio' || t.metric === 'checksRatio' ? { outcomes: sample.overall.outcomes } : {}),
    ...(t.metric === 'errorRatio' && sample.failureCauses !== undefined
      ? { failureCauses: sample.failureCauses.map(({ reason, count, example }) => ({ reason, count, example })) }
      : {}),
  };
  const measured = `${METRIC_LABELS[t.metric]} ${formatMetric(t.metric, value)}`;
  const where = `${ctx.scenario} on ${ctx.origin}`;
  if (sample.overall.requests === 0) {
    return fail(t.id, 'no_requests', `no request completed during the ${ctx.scenario} load on ${ctx.origin}`, evidence);
  }
  if (!holds(value, t)) {
    const reason = isFloor(t) ? 'below_minimum' : comparisonOf(t) === '==' || comparisonOf(t) === '!=' ? 'not_met' : 'above_limit';
    const causes = t.metric === 'errorRatio' ? describeFailureCauses(sample.failureCauses) : '';
    return fail(t.id, reason, `${measured} breaks ${describeThreshold(t)} (${where})${causes}`, evidence);
  }
  if (breached.length > 0) {
    const first = breached[0];
    const detail = `${measured} overall holds ${describeThreshold(t)}, but ${breached.length} of ${sample.windows.length} windows of ${ctx.windowSeconds} s broke it (first at ${first?.startSeconds ?? 0} s: ${formatMetric(t.metric, first === undefined ? 0 : metricValue(first, t.metric))}) (${where})`;
    return ctx.windowBreachFails ? fail(t.id, 'window_breach', detail, evidence) : warn(t.id, 'window_breach', detail, evidence);
  }
  return pass(t.id, `${measured} holds ${describeThreshold(t)} (${where})`, evidence);
}

/** A config threshold's own id (custom.load.*) has no catalogue entry: it counts towards load testing. */
export const CUSTOM_LOAD_CHECKLIST = ['Performance: Load testing completed'] as const;

export function evaluateThreshold(sample: LoadSample, t: Threshold, ctx: EvaluateContext): Finding {
  const finding = judgeThreshold(sample, t, ctx);
  return t.id.startsWith('custom.') ? { ...finding, checklist: CUSTOM_LOAD_CHECKLIST } : finding;
}
