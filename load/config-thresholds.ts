import { durationSeconds } from './k6/summary.js';
import { parseThresholdExpression, ThresholdSyntaxError, type Aggregation, type ThresholdExpression } from './k6-threshold.js';
import type { Comparison, LoadCheckId, LoadMetric, Threshold } from './scenarios/types.js';

/** One entry of a k6 `options.thresholds` list: an expression, or k6's object form. */
export type K6ThresholdEntry = string | { readonly threshold: string; readonly abortOnFail?: boolean; readonly delayAbortEval?: string };
/** k6's `options.thresholds`: metric name → entries. */
export type K6Thresholds = Readonly<Record<string, readonly K6ThresholdEntry[]>>;

/** A threshold vor-watch cannot judge; `path` is where it is under `thresholds` ([metric] or [metric, index]). */
export class ThresholdConfigError extends Error {
  override readonly name = 'ThresholdConfigError';
  constructor(
    readonly path: readonly (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/** The k6 built-in metrics vor-watch measures, with k6's metric type (which decides the aggregations). */
const METRICS = {
  http_req_duration: { type: 'Trend', aggregations: 'avg, min, max, med or p(N)' },
  http_req_failed: { type: 'Rate', aggregations: 'rate' },
  http_reqs: { type: 'Counter', aggregations: 'count or rate' },
  checks: { type: 'Rate', aggregations: 'rate' },
} as const;
type K6Metric = keyof typeof METRICS;

const TREND = new Set<string>(['avg', 'min', 'max', 'med']);
/** The latency percentiles vor-watch keeps per window (load/sample.ts). */
const PERCENTILES: Readonly<Record<number, LoadMetric>> = {
  50: 'latencyP50Seconds',
  90: 'latencyP90Seconds',
  95: 'latencyP95Seconds',
  99: 'latencyP99Seconds',
};

function appliesTo(metric: K6Metric, aggregation: Aggregation): boolean {
  switch (METRICS[metric].type) {
    case 'Trend':
      return TREND.has(aggregation) || aggregation.startsWith('p(');
    case 'Rate':
      return aggregation === 'rate';
    case 'Counter':
      return aggregation === 'count' || aggregation === 'rate';
  }
}

/** What vor-watch measures for a k6 metric + aggregation; throws a message when it measures no such thing. */
function loadMetricOf(metric: K6Metric, e: ThresholdExpression): LoadMetric {
  if (!appliesTo(metric, e.aggregation)) {
    throw new Error(`${e.aggregation} does not apply to ${metric} (a k6 ${METRICS[metric].type}: ${METRICS[metric].aggregations})`);
  }
  if (metric === 'http_req_failed') return 'errorRatio';
  if (metric === 'checks') return 'checksRatio';
  if (metric === 'http_reqs') return e.aggregation === 'count' ? 'requestCount' : 'requestsPerSecond';
  if (e.aggregation === 'avg') return 'latencyMeanSeconds';
  if (e.aggregation === 'max') return 'latencyMaxSeconds';
  if (e.aggregation === 'med') return 'latencyP50Seconds';
  const byPercentile = e.percentile === undefined ? undefined : PERCENTILES[e.percentile];
  if (byPercentile === undefined) {
    throw new Error(`vor-watch judges avg, med, max, p(50), p(90), p(95) and p(99) of http_req_duration per window, not ${e.aggregation}`);
  }
  return byPercentile;
}

/** The catalogue id where the figure is one of checks.md's load checks; otherwise the threshold's own custom id. */
function builtinIdOf(metric: LoadMetric): LoadCheckId | undefined {
  const ids: Partial<Record<LoadMetric, LoadCheckId>> = {
    latencyP95Seconds: 'load.latency_p95',
    latencyP99Seconds: 'load.latency_p99',
    errorRatio: 'load.error_rate',
    requestsPerSecond: 'load.throughput',
  };
  return ids[metric];
}

const customIdOf = (metric: K6Metric, aggregation: Aggregation): LoadCheckId =>
  `custom.load.${metric}_${aggregation.replace(/^p\((.*)\)$/, 'p$1').replace('.', '_')}`;

const expressionOf = (entry: K6ThresholdEntry): string => (typeof entry === 'string' ? entry : entry.threshold);

function optionsOf(entry: K6ThresholdEntry, path: readonly (string | number)[]): Pick<Threshold, 'abortOnFail' | 'delayAbortEvalSeconds'> {
  if (typeof entry === 'string' || entry.abortOnFail !== true) return {};
  if (entry.delayAbortEval === undefined) return { abortOnFail: true };
  const seconds = durationSeconds(entry.delayAbortEval);
  if (!Number.isFinite(seconds)) {
    throw new ThresholdConfigError([...path, 'delayAbortEval'], `"${entry.delayAbortEval}" is not a k6 duration such as 10s or 1m30s`);
  }
  return { abortOnFail: true, delayAbortEvalSeconds: seconds };
}

function boundOf(op: Comparison, limit: number): { below: number } | { above: number } | { op: Comparison; limit: number } {
  if (op === '<') return { below: limit };
  if (op === '>=') return { above: limit };
  return { op, limit };
}

/**
 * k6 `options.thresholds` → vor-watch thresholds, one per expression, in order. A figure of checks.md
 * (p95, p99, error rate, throughput) takes its load.* id the first time; anything else, or the same
 * figure again (k6's "warn at 1 %, abort at 50 %" pair), gets custom.load.<metric>_<aggregation>.
 */
export function thresholdsOf(config: K6Thresholds): Threshold[] {
  const taken = new Set<string>();
  const out: Threshold[] = [];
  for (const [metric, entries] of Object.entries(config)) {
    if (/[{}]/.test(metric)) {
      throw new ThresholdConfigError(
        [metric],
        'thresholds on sub-metrics (tags in braces) are not judged by vor-watch; use the whole metric',
      );
    }
    if (!Object.hasOwn(METRICS, metric)) {
      throw new ThresholdConfigError([metric], `is not a metric vor-watch measures; use ${Object.keys(METRICS).join(', ')}`);
    }
    const k6Metric = metric as K6Metric;
    entries.forEach((entry, index) => {
      const path = [metric, index];
      const expression = expressionOf(entry).trim();
      let parsed: ThresholdExpression;
      let loadMetric: LoadMetric;
      try {
        parsed = parseThresholdExpression(expression);
        loadMetric = loadMetricOf(k6Metric, parsed);
      } catch (error) {
        const why = error instanceof ThresholdSyntaxError || error instanceof Error ? error.message : String(error);
        throw new ThresholdConfigError(typeof entry === 'string' ? path : [...path, 'threshold'], `"${expression}": ${why}`);
      }
      const builtin = builtinIdOf(loadMetric);
      let id = builtin !== undefined && !taken.has(builtin) ? builtin : customIdOf(k6Metric, parsed.aggregation);
      for (let n = 2; taken.has(id); n += 1) id = `${customIdOf(k6Metric, parsed.aggregation)}_${n}` as LoadCheckId;
      taken.add(id);
      const op: Comparison = parsed.operator === '===' ? '==' : parsed.operator;
      // k6 durations are milliseconds; vor-watch's are seconds.
      const limit = k6Metric === 'http_req_duration' ? parsed.value / 1000 : parsed.value;
      out.push({ id, metric: loadMetric, ...boundOf(op, limit), ...optionsOf(entry, path), k6: { metric, expression } });
    });
  }
  return out;
}
