import type { CheckId } from '../../src/core/catalogue.js';
import type { K6Thresholds } from '../config-thresholds.js';

/** A built-in load.* id of checks.md, or a config threshold's own `custom.load.<name>`. */
export type LoadCheckId = Extract<CheckId, `load.${string}`> | `custom.load.${string}`;
export type LoadMetric =
  | 'latencyP50Seconds'
  | 'latencyP90Seconds'
  | 'latencyP95Seconds'
  | 'latencyP99Seconds'
  | 'latencyMeanSeconds'
  | 'latencyMaxSeconds'
  | 'errorRatio'
  | 'requestsPerSecond'
  | 'requestCount'
  /** Share of answers that are not 5xx: what the k6 script's check "not a server error" counts. */
  | 'checksRatio';

/** k6's comparisons (=== is ==). */
export type Comparison = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** What a threshold from config carries besides its bound. */
interface ThresholdOptions {
  /** Stop the run at the first window that breaks it (k6 abortOnFail), not before delayAbortEvalSeconds into the run. */
  readonly abortOnFail?: boolean;
  readonly delayAbortEvalSeconds?: number;
  /** The k6 threshold it was written as, e.g. { metric: 'http_req_duration', expression: 'p(95)<500' }. */
  readonly k6?: { readonly metric: string; readonly expression: string };
}

/**
 * "metric below N" (<), "metric at least N" (>=), or any other k6 comparison; the same table drives
 * vor-watch load and the k6 scripts.
 */
export type Threshold = ThresholdOptions &
  (
    | { readonly id: LoadCheckId; readonly metric: LoadMetric; readonly below: number }
    | { readonly id: LoadCheckId; readonly metric: LoadMetric; readonly above: number }
    | { readonly id: LoadCheckId; readonly metric: LoadMetric; readonly op: Comparison; readonly limit: number }
  );

/**
 * Where a request's path is resolved: the site's base URL, the API base, the configured login URL,
 * or nowhere ('url': the path is an absolute URL, as a config scenario may give).
 */
export type RequestBase = 'site' | 'api' | 'login' | 'url';

export interface ScenarioRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  readonly base: RequestBase;
  /** Appended to the base; '' for the base itself. */
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** How often it is sent relative to the scenario's other requests (default 1). */
  readonly weight?: number;
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
  /** Each virtual user waits this long after an answer before its next request (closed model). */
  readonly thinkTimeSeconds?: number;
  /** Where a scenario from config was defined (the config file), for messages. */
  readonly source?: string;
  /** A config scenario's thresholds as written (k6 syntax): the k6 export uses them verbatim. */
  readonly k6Thresholds?: K6Thresholds;
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
