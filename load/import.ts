import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configError, ConfigError, type ConfigProblem } from '../src/config/errors.js';
import type { Finding } from '../src/core/result.js';
import { buildLoadReport, type LoadModel, type LoadReport } from './report/load-report.js';
import type { LoadSample, LoadStats } from './sample.js';
import type { LoadMetric, Threshold } from './scenarios/types.js';
import { evaluateThreshold, METRIC_LABELS, metricValue } from './thresholds.js';

const LatencySchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
  mean: z.number(),
});
const StatsSchema = z
  .object({
    requests: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    errorRatio: z.number(),
    requestsPerSecond: z.number().nonnegative(),
    durationSeconds: z.number().nonnegative(),
    latency: LatencySchema,
    outcomes: z.record(z.string(), z.number()),
  })
  .loose();
const METRICS = Object.keys(METRIC_LABELS) as [LoadMetric, ...LoadMetric[]];
const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;
/** A threshold as load/k6/summary.ts writes it: a known figure and exactly one kind of bound. */
const ThresholdSchema = z
  .object({ id: z.string().min(1), metric: z.enum(METRICS) })
  .and(
    z.union([z.object({ below: z.number() }), z.object({ above: z.number() }), z.object({ op: z.enum(COMPARISONS), limit: z.number() })]),
  );

/** What a runner's load-<runner>.json (k6 handleSummary, load/k6/summary.ts) must carry to be merged. */
const RunnerReportSchema = z
  .object({
    tool: z.literal('vor-watch'),
    kind: z.literal('load'),
    scenario: z.string().min(1),
    model: z.enum(['closed', 'open', 'capacity']),
    target: z.string().min(1),
    startedAt: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date'),
    plannedDurationSeconds: z.number(),
    connections: z.number(),
    rate: z.number().optional(),
    requests: z.array(z.string()),
    thresholds: z.array(ThresholdSchema).min(1),
    sample: z.object({ overall: StatsSchema }).loose(),
    results: z.array(z.object({ id: z.string(), evidence: z.record(z.string(), z.unknown()) }).loose()),
  })
  .loose();

export interface RunnerReport {
  readonly file: string;
  readonly report: LoadReport;
}

/** Reads each runner's file; any that is missing, not JSON or not a load report is named (exit 2). */
export function readRunnerReports(files: readonly string[], cwd: string): RunnerReport[] {
  if (files.length === 0) throw configError('--import', 'give the load-<runner>.json files of a k6 run');
  const problems: ConfigProblem[] = [];
  const runners: RunnerReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.resolve(cwd, file), 'utf8');
    } catch (error) {
      problems.push({ source: `--import ${file}`, message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      problems.push({
        source: `--import ${file}`,
        message: `is not JSON (${(error as Error).message}); give a load-<runner>.json k6 wrote`,
      });
      continue;
    }
    const parsed = RunnerReportSchema.safeParse(json);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      problems.push({ source: `--import ${file}`, message: `is not a vor-watch load report (${issues})` });
      continue;
    }
    runners.push({ file, report: json as LoadReport });
  }
  const [first] = runners;
  if (first !== undefined) {
    const ids = first.report.thresholds.map((t) => t.id).join(',');
    for (const { file, report } of runners.slice(1)) {
      const differs =
        report.scenario !== first.report.scenario
          ? `scenario ${report.scenario}, not ${first.report.scenario} as in ${first.file}`
          : report.target !== first.report.target
            ? `target ${report.target}, not ${first.report.target} as in ${first.file}`
            : report.thresholds.map((t) => t.id).join(',') !== ids
              ? `other thresholds than ${first.file}`
              : undefined;
      if (differs !== undefined) problems.push({ source: `--import ${file}`, message: `is another run: ${differs}` });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return runners;
}

const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
const worst = (values: readonly number[]): number => Math.max(0, ...values);

/** Counts and rates add up (the runners ran at once); percentiles cannot be averaged, so the worst runner's stands. */
function mergedStats(stats: readonly LoadStats[]): LoadStats {
  const requests = sum(stats.map((s) => s.requests));
  const failed = sum(stats.map((s) => s.failed));
  const outcomes: Record<string, number> = {};
  for (const s of stats) for (const [k, v] of Object.entries(s.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
  return {
    requests,
    failed,
    errorRatio: requests === 0 ? 0 : failed / requests,
    requestsPerSecond: sum(stats.map((s) => s.requestsPerSecond)),
    durationSeconds: worst(stats.map((s) => s.durationSeconds)),
    latency: {
      p50: worst(stats.map((s) => s.latency.p50)),
      p90: worst(stats.map((s) => s.latency.p90)),
      p95: worst(stats.map((s) => s.latency.p95)),
      p99: worst(stats.map((s) => s.latency.p99)),
      max: worst(stats.map((s) => s.latency.max)),
      mean: requests === 0 ? 0 : sum(stats.map((s) => s.latency.mean * s.requests)) / requests,
    },
    outcomes,
  };
}

const PERCENTILE_METRICS = new Set<LoadMetric>(['latencyP50Seconds', 'latencyP90Seconds', 'latencyP95Seconds', 'latencyP99Seconds']);
/** Each runner's floor is its share of the whole (RATE / RUNNERS), so the whole run's floor is their sum. */
const SHARE_METRICS = new Set<LoadMetric>(['requestsPerSecond', 'requestCount']);

function summedLimit(t: Threshold, runners: readonly RunnerReport[]): Threshold {
  const limits = runners.map((r) => {
    const own = r.report.thresholds.find((x) => x.id === t.id) ?? t;
    return 'below' in own ? own.below : 'above' in own ? own.above : own.limit;
  });
  const total = sum(limits);
  return 'below' in t ? { ...t, below: total } : 'above' in t ? { ...t, above: total } : { ...t, limit: total };
}

/** The value a runner's own judgement recorded for a threshold (its evidence), e.g. k6's check rate. */
function runnerValue(runner: RunnerReport, id: string): number | undefined {
  const value = runner.report.results.find((r) => r.id === id)?.evidence.value;
  return typeof value === 'number' ? value : undefined;
}

export interface MergedRun {
  readonly report: LoadReport;
  readonly findings: Finding[];
}

/**
 * k6-operator runners' reports → one load run judged by the same thresholds: counts and rates summed,
 * error rate from the summed counts, latency percentiles the worst runner's (k6's summary carries no
 * histogram to merge; each finding says so), throughput floors the sum of the runners' shares.
 */
export function mergeRunnerReports(runners: readonly RunnerReport[]): MergedRun {
  const first = runners[0];
  if (first === undefined) throw configError('--import', 'give the load-<runner>.json files of a k6 run');
  const overall = mergedStats(runners.map((r) => r.report.sample.overall));
  const sample: LoadSample = {
    overall,
    windows: [],
    percentiles: [
      { percentile: 50, seconds: overall.latency.p50 },
      { percentile: 90, seconds: overall.latency.p90 },
      { percentile: 95, seconds: overall.latency.p95 },
      { percentile: 99, seconds: overall.latency.p99 },
      { percentile: 100, seconds: overall.latency.max },
    ],
  };
  const thresholds = first.report.thresholds.map((t) => (SHARE_METRICS.has(t.metric) ? summedLimit(t, runners) : t));
  const names = runners.map((r) => path.basename(r.file));
  const checksRatio = (id: string): number => {
    const weighted = runners.map((r) => (runnerValue(r, id) ?? 1) * r.report.sample.overall.requests);
    return overall.requests === 0 ? 0 : sum(weighted) / overall.requests;
  };
  const findings = thresholds.map((t): Finding => {
    const finding = evaluateThreshold(sample, t, {
      scenario: first.report.scenario,
      origin: first.report.target,
      windowSeconds: sample.overall.durationSeconds,
      windowBreachFails: false,
      figureOf: (stats, metric) => (metric === 'checksRatio' ? checksRatio(t.id) : metricValue(stats, metric)),
    });
    const perRunner = runners.map((r, i) => ({
      file: names[i] ?? r.file,
      requests: r.report.sample.overall.requests,
      value: t.metric === 'checksRatio' ? (runnerValue(r, t.id) ?? null) : metricValue(r.report.sample.overall, t.metric),
    }));
    const percentileNote = PERCENTILE_METRICS.has(t.metric)
      ? `the worst of ${runners.length} runners' percentiles: k6 summaries carry no histogram, and percentiles cannot be averaged`
      : undefined;
    const shareNote = SHARE_METRICS.has(t.metric) ? `the sum of ${runners.length} runners' shares` : undefined;
    const note = percentileNote ?? shareNote;
    return {
      ...finding,
      message: `${finding.message}; k6, ${runners.length} runners merged${note === undefined ? '' : ` (${note})`}`,
      evidence: {
        ...finding.evidence,
        source: 'k6',
        runners: perRunner,
        ...(percentileNote === undefined ? {} : { merge: 'worst_runner_percentile' }),
        ...(shareNote === undefined ? {} : { merge: 'sum_of_runner_shares' }),
      },
    };
  });
  const startedAt = new Date(Math.min(...runners.map((r) => Date.parse(r.report.startedAt))));
  const rates = runners.map((r) => r.report.rate);
  const report = buildLoadReport({
    scenario: first.report.scenario,
    model: first.report.model as LoadModel,
    target: first.report.target,
    startedAt,
    plannedDurationSeconds: first.report.plannedDurationSeconds,
    connections: sum(runners.map((r) => r.report.connections)),
    ...(rates.every((r) => r !== undefined) ? { rate: sum(rates as number[]) } : {}),
    windowSeconds: Math.max(1, Math.round(overall.durationSeconds)),
    requests: first.report.requests,
    thresholds,
    sample,
  });
  return { report, findings };
}
