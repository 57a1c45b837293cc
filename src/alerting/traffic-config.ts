import { z } from 'zod';

/**
 * The service's own traffic, read from Prometheus (README "Real traffic"). Each query is PromQL with
 * placeholders: `$window` (the trigger's window, e.g. `5m`), `$quantile` (0.95) and `$selector`
 * (label matchers that pick the service, e.g. `job="api"`; empty by default). The defaults read the
 * OpenTelemetry HTTP server histogram and fall back to the common `http_requests_total` counter
 * (status in `code`, `status` or `status_code`) with an `http_request_duration_seconds` histogram.
 */
export const DEFAULT_TRAFFIC_QUERIES = {
  /** Requests served over the error-rate window. */
  requests: [
    'sum(increase(http_server_request_duration_seconds_count{$selector}[$window]))',
    'sum(increase(http_requests_total{$selector}[$window]))',
  ].join(' or '),
  /** Requests answered 5xx over the error-rate window (no series at all counts as 0 when requests has data). */
  errors: [
    'sum(increase(http_server_request_duration_seconds_count{$selector,http_response_status_code=~"5.."}[$window]))',
    'sum(increase(http_requests_total{$selector,code=~"5.."}[$window]))',
    'sum(increase(http_requests_total{$selector,status=~"5.."}[$window]))',
    'sum(increase(http_requests_total{$selector,status_code=~"5.."}[$window]))',
  ].join(' or '),
  /** The latency quantile over the slow-response window, in seconds. */
  latency: [
    'histogram_quantile($quantile, sum by (le) (rate(http_server_request_duration_seconds_bucket{$selector}[$window])))',
    'histogram_quantile($quantile, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$window])))',
  ].join(' or '),
} as const;

export const TrafficConfigSchema = z
  .object({
    /** The Prometheus server's base URL (`--prometheus` and VOR_PROMETHEUS_URL win). */
    url: z.string().url().optional(),
    /** Label matchers for `$selector`, e.g. `job="api",env="production"`. */
    selector: z.string().default(''),
    queries: z
      .object({ requests: z.string().min(1), errors: z.string().min(1), latency: z.string().min(1) })
      .partial()
      .strict()
      .default({}),
    /** Each query gives up after this (a silent Prometheus must not stall the gate). */
    timeoutMs: z.number().int().positive().max(60_000).default(5_000),
  })
  .strict();

/** Trigger windows in the config file (thresholds stay those of checks.md); the shipped rule file keeps the defaults. */
export const TriggerWindowsSchema = z
  .object({
    errorRate: z
      .object({ windowMs: z.number().int().min(1000), minRequests: z.number().int().min(1), recoveryMs: z.number().int().min(0) })
      .partial()
      .strict()
      .default({}),
    slowResponses: z
      .object({ windowMs: z.number().int().min(1000), sustainMs: z.number().int().min(0), recoveryMs: z.number().int().min(0) })
      .partial()
      .strict()
      .default({}),
  })
  .strict();

export type TrafficConfig = z.infer<typeof TrafficConfigSchema>;
export type TriggerWindows = z.infer<typeof TriggerWindowsSchema>;

export interface TrafficQueries {
  readonly requests: string;
  readonly errors: string;
  readonly latency: string;
}

export function trafficQueries(config: Pick<TrafficConfig, 'queries'> | undefined): TrafficQueries {
  return { ...DEFAULT_TRAFFIC_QUERIES, ...config?.queries };
}

/** Fills the placeholders; `{$selector,` with an empty selector becomes `{`. */
export function renderQuery(template: string, values: { window: string; quantile: number; selector: string }): string {
  const selector = values.selector.trim();
  return template
    .replaceAll('{$selector,', selector === '' ? '{' : `{${selector},`)
    .replaceAll('$selector', selector)
    .replaceAll('$window', values.window)
    .replaceAll('$quantile', String(values.quantile));
}
