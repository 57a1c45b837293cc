import type { LoadReport } from './load-report.js';
import type { LoadStats } from '../sample.js';

/** A change worse than this share of the baseline is flagged as a regression. */
export const REGRESSION_TOLERANCE = 0.1;

export interface MetricChange {
  readonly metric: 'p50' | 'p95' | 'p99' | 'errorRatio' | 'requestsPerSecond';
  readonly baseline: number;
  readonly current: number;
  /** (current − baseline) / baseline; null when the baseline is 0. */
  readonly change: number | null;
  readonly regression: boolean;
}

export interface LoadComparison {
  readonly baselineStartedAt: string;
  readonly baselineScenario: string;
  readonly sameScenario: boolean;
  /** Closed runs sent by different clients (`--engine`): what each client costs per request differs. */
  readonly engines?: { readonly baseline: string; readonly current: string };
  readonly changes: readonly MetricChange[];
  readonly regressions: number;
}

const PICK: Readonly<Record<MetricChange['metric'], (s: LoadStats) => number>> = {
  p50: (s) => s.latency.p50,
  p95: (s) => s.latency.p95,
  p99: (s) => s.latency.p99,
  errorRatio: (s) => s.errorRatio,
  requestsPerSecond: (s) => s.requestsPerSecond,
};

/** Error ratios are compared in absolute points: 0 % → 0.5 % is worth flagging, 0 → 0 is not. */
const ERROR_RATIO_TOLERANCE = 0.005;

function changeOf(metric: MetricChange['metric'], baseline: number, current: number): MetricChange {
  const change = baseline === 0 ? null : (current - baseline) / baseline;
  const higherIsWorse = metric !== 'requestsPerSecond';
  const regression =
    metric === 'errorRatio'
      ? current - baseline > ERROR_RATIO_TOLERANCE
      : change !== null && (higherIsWorse ? change > REGRESSION_TOLERANCE : change < -REGRESSION_TOLERANCE);
  return { metric, baseline, current, change, regression };
}

export function compareWithBaseline(current: LoadReport, baseline: LoadReport): LoadComparison {
  const changes = (Object.keys(PICK) as MetricChange['metric'][]).map((metric) =>
    changeOf(metric, PICK[metric](baseline.sample.overall), PICK[metric](current.sample.overall)),
  );
  return {
    baselineStartedAt: baseline.startedAt,
    baselineScenario: baseline.scenario,
    sameScenario: baseline.scenario === current.scenario && baseline.model === current.model,
    // A load.json from before the engine choice says nothing: no guess is made about its client.
    ...(baseline.engine !== undefined && current.engine !== undefined && baseline.engine !== current.engine
      ? { engines: { baseline: baseline.engine, current: current.engine } }
      : {}),
    changes,
    regressions: changes.filter((c) => c.regression).length,
  };
}

/** The note shown above a comparison of runs sent by different clients. */
export const enginesNote = (engines: NonNullable<LoadComparison['engines']>): string =>
  `The baseline's requests were sent by ${engines.baseline}, these by ${engines.current} (--engine): each client costs the load generator differently, so throughput and latency can move without the target changing.`;

export const formatChange = (c: MetricChange): string =>
  c.change === null ? (c.current === c.baseline ? '±0' : 'new') : `${c.change >= 0 ? '+' : ''}${(c.change * 100).toFixed(1)} %`;
