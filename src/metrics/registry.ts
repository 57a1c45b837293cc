import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { VERSION } from '../version.js';
import { CheckResultMetric } from './check-result.js';

/** Request latency buckets; 3 s is the rollback.slow_responses threshold, so it must be a bucket edge. */
export const DURATION_BUCKETS_SECONDS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30] as const;

const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export const CONTRACT_METRIC_NAMES = [
  'vor_check_status',
  'vor_probe_requests_total',
  'vor_probe_request_duration_seconds',
  'vor_health_consecutive_failures',
  'vor_tls_certificate_expiry_timestamp_seconds',
  'vor_rollback_trigger_active',
  'vor_check_runs_total',
] as const;

/** The contract metrics (contract.md, "Metrics"), bound to one registry. */
export interface Metrics {
  readonly registry: Registry;
  readonly checkStatus: Gauge<'target' | 'check'>;
  readonly probeRequests: Counter<'target' | 'check' | 'outcome' | 'purpose'>;
  readonly probeRequestDuration: Histogram<'target' | 'check' | 'purpose'>;
  readonly healthConsecutiveFailures: Gauge<'target'>;
  readonly tlsCertificateExpiry: Gauge<'target'>;
  readonly rollbackTriggerActive: Gauge<'target' | 'trigger'>;
  readonly checkRuns: Counter<'target' | 'check' | 'status'>;
  /** 1 on the series of the check's last status, 0 on the other statuses: a skip is never read as "up". */
  readonly checkResult: CheckResultMetric;
  readonly checkLastRun: Gauge<'target' | 'check'>;
}

export interface MetricsOptions {
  /** Node.js process metrics (default on). */
  readonly processMetrics?: boolean;
  /** Where this monitor probes from (`--location`): a `location` label on every series when set. */
  readonly location?: string;
}

/** Builds the metrics on a fresh registry (one per monitor instance; no prom-client globals). */
export function createMetrics({ processMetrics = true, location }: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  if (location !== undefined) registry.setDefaultLabels({ location });
  if (processMetrics) {
    collectDefaultMetrics({ register: registry });
    // Gauges named *_total fail `promtool check metrics`; the same counts exist without the suffix.
    for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  }
  const registers = [registry];
  new Gauge({
    name: 'vor_build_info',
    help: 'Always 1; the labels say which vor-watch and Node.js produced these series.',
    labelNames: ['version', 'nodejs_version'] as const,
    registers,
  }).set({ version: VERSION, nodejs_version: process.versions.node }, 1);
  return {
    registry,
    checkStatus: new Gauge({
      name: 'vor_check_status',
      help: 'Last result of a check: 1 pass/warn/skip, 0 fail/error (1 only means "not blocking"; vor_check_result tells a skip from a pass).',
      labelNames: ['target', 'check'] as const,
      registers,
    }),
    probeRequests: new Counter({
      name: 'vor_probe_requests_total',
      help: 'HTTP requests made by probes, by outcome (failure = network error, timeout or 5xx) and purpose (user, hostile, self).',
      labelNames: ['target', 'check', 'outcome', 'purpose'] as const,
      registers,
    }),
    probeRequestDuration: new Histogram({
      name: 'vor_probe_request_duration_seconds',
      help: 'Duration of HTTP requests made by probes, by purpose (user, hostile, self).',
      labelNames: ['target', 'check', 'purpose'] as const,
      buckets: [...DURATION_BUCKETS_SECONDS],
      registers,
    }),
    healthConsecutiveFailures: new Gauge({
      name: 'vor_health_consecutive_failures',
      help: 'Consecutive failed health.endpoint checks; one success resets it.',
      labelNames: ['target'] as const,
      registers,
    }),
    tlsCertificateExpiry: new Gauge({
      name: 'vor_tls_certificate_expiry_timestamp_seconds',
      help: 'notAfter of the certificate the target served, as a Unix timestamp.',
      labelNames: ['target'] as const,
      registers,
    }),
    rollbackTriggerActive: new Gauge({
      name: 'vor_rollback_trigger_active',
      help: "1 while the monitor's own evaluation of a rollback trigger is firing.",
      labelNames: ['target', 'trigger'] as const,
      registers,
    }),
    checkRuns: new Counter({
      name: 'vor_check_runs_total',
      help: 'Check results produced, by status.',
      labelNames: ['target', 'check', 'status'] as const,
      registers,
    }),
    checkResult: new CheckResultMetric(registers),
    checkLastRun: new Gauge({
      name: 'vor_check_last_run_timestamp_seconds',
      help: 'When a check last produced a result, as a Unix timestamp.',
      labelNames: ['target', 'check'] as const,
      registers,
    }),
  };
}
