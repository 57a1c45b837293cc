import type { CheckId } from '../../src/core/catalogue.js';

export type LoadCheckId = Extract<CheckId, `load.${string}`>;
export type LoadMetric = 'latencyP95Seconds' | 'latencyP99Seconds' | 'errorRatio' | 'requestsPerSecond';

/** "metric below N" or "metric above N"; the same table drives vor-watch load and the k6 scripts. */
export type Threshold =
  | { readonly id: LoadCheckId; readonly metric: LoadMetric; readonly below: number }
  | { readonly id: LoadCheckId; readonly metric: LoadMetric; readonly above: number };

/** Where a request's path is resolved: the site's base URL, the API base, or the configured login URL. */
export type RequestBase = 'site' | 'api' | 'login';

export interface ScenarioRequest {
  readonly method: 'GET' | 'POST';
  readonly base: RequestBase;
  /** Appended to the base; '' for the base itself. */
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly requests: readonly ScenarioRequest[];
  /** Fetch the landing page once and add its same-origin scripts, styles and images. */
  readonly discoverAssets?: boolean;
  /** Log the test user in once and send the session cookie with every request. */
  readonly needsSession?: boolean;
  /** Answers that count as success besides 2xx/3xx (e.g. 401 and 429 for wrong-password logins). */
  readonly acceptedStatuses?: readonly number[];
  readonly defaults: { readonly durationSeconds: number; readonly connections: number };
  readonly thresholds: readonly Threshold[];
}

export const defineScenario = (scenario: Scenario): Scenario => scenario;

/** The rollback triggers of checks.md: p95 above 3 s, more than 5 % failed requests. */
export const ROLLBACK_P95_SECONDS = 3;
export const ROLLBACK_ERROR_RATIO = 0.05;
export const DEFAULT_P99_SECONDS = 5;

export function defaultThresholds(minRequestsPerSecond: number): readonly Threshold[] {
  return [
    { id: 'load.latency_p95', metric: 'latencyP95Seconds', below: ROLLBACK_P95_SECONDS },
    { id: 'load.latency_p99', metric: 'latencyP99Seconds', below: DEFAULT_P99_SECONDS },
    { id: 'load.error_rate', metric: 'errorRatio', below: ROLLBACK_ERROR_RATIO },
    { id: 'load.throughput', metric: 'requestsPerSecond', above: minRequestsPerSecond },
  ];
}
