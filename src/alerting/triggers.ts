/**
 * The three rollback triggers (checks.md, "Rollback triggers") as data. The in-process evaluator
 * (evaluator.ts) and the Prometheus rule file (rules.ts) are both derived from these definitions.
 */
export const TRIGGER_IDS = ['rollback.error_rate', 'rollback.slow_responses', 'rollback.health_failures'] as const;
export type TriggerId = (typeof TRIGGER_IDS)[number];

/** Thresholds and windows. Tests shrink the windows with scaleTriggerSettings; thresholds stay. */
export interface TriggerSettings {
  readonly errorRate: { readonly windowMs: number; readonly maxRatio: number; readonly minRequests: number; readonly recoveryMs: number };
  readonly slowResponses: {
    readonly quantile: number;
    readonly thresholdSeconds: number;
    readonly windowMs: number;
    readonly sustainMs: number;
    readonly recoveryMs: number;
  };
  readonly healthFailures: { readonly maxConsecutive: number; readonly recoveryMs: number };
  /** How long the monitor may stay silent before VorMonitorNotReporting fires. */
  readonly notReportingMs: number;
}

export const DEFAULT_TRIGGER_SETTINGS: TriggerSettings = {
  errorRate: { windowMs: 5 * 60_000, maxRatio: 0.05, minRequests: 20, recoveryMs: 2 * 60_000 },
  slowResponses: { quantile: 0.95, thresholdSeconds: 3, windowMs: 60_000, sustainMs: 5 * 60_000, recoveryMs: 2 * 60_000 },
  // checks.md: "one success resets the count", so the health trigger clears on the first good result.
  healthFailures: { maxConsecutive: 3, recoveryMs: 0 },
  notReportingMs: 5 * 60_000,
};

/** Divides every window by `factor` (e.g. 60 turns 5 minutes into 5 seconds); thresholds are unchanged. */
export function scaleTriggerSettings(settings: TriggerSettings, factor: number): TriggerSettings {
  if (!(factor > 0)) throw new RangeError(`scale factor must be positive, got ${factor}`);
  const scaled = (ms: number): number => Math.max(1000, Math.round(ms / factor / 1000) * 1000);
  const scaledKeepingZero = (ms: number): number => (ms === 0 ? 0 : scaled(ms));
  return {
    errorRate: {
      ...settings.errorRate,
      windowMs: scaled(settings.errorRate.windowMs),
      recoveryMs: scaledKeepingZero(settings.errorRate.recoveryMs),
    },
    slowResponses: {
      ...settings.slowResponses,
      windowMs: scaled(settings.slowResponses.windowMs),
      sustainMs: scaled(settings.slowResponses.sustainMs),
      recoveryMs: scaledKeepingZero(settings.slowResponses.recoveryMs),
    },
    healthFailures: { ...settings.healthFailures, recoveryMs: scaledKeepingZero(settings.healthFailures.recoveryMs) },
    notReportingMs: scaled(settings.notReportingMs),
  };
}

/** Prometheus duration literal for whole seconds: 300000 → "5m", 61000 → "61s". */
export function promDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds === 0) return '0s';
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

export interface TriggerDefinition {
  readonly id: TriggerId;
  readonly alert: string;
  summary(settings: TriggerSettings): string;
  /**
   * PromQL over the contract metrics: one series per target and location while the condition holds,
   * i.e. one monitor's own view (rules.ts turns these into quorum and location-blind alerts).
   */
  expr(settings: TriggerSettings): string;
  /** How long the condition must hold before the trigger fires. */
  forMs(settings: TriggerSettings): number;
  /** How long the condition must be conclusively false before a fired trigger clears (keep_firing_for). */
  recoveryMs(settings: TriggerSettings): number;
}

export const TRIGGERS: readonly TriggerDefinition[] = [
  {
    id: 'rollback.error_rate',
    alert: 'VorRollbackErrorRate',
    summary: ({ errorRate: e }) =>
      `More than ${e.maxRatio * 100} % of user-path probe requests to {{ $labels.target }} failed over ${promDuration(e.windowMs)}`,
    // Only user-path requests: hostile and self-check requests fail on purpose or for other reasons (purpose.ts).
    expr: ({ errorRate: { windowMs, maxRatio, minRequests } }) => {
      const w = promDuration(windowMs);
      const total = `sum by (target, location) (increase(vor_probe_requests_total{purpose="user"}[${w}]))`;
      return [
        `(sum by (target, location) (increase(vor_probe_requests_total{purpose="user",outcome="failure"}[${w}])) / ${total} > ${maxRatio})`,
        `and (${total} >= ${minRequests})`,
      ].join('\n');
    },
    forMs: () => 0,
    recoveryMs: (s) => s.errorRate.recoveryMs,
  },
  {
    id: 'rollback.slow_responses',
    alert: 'VorRollbackSlowResponses',
    summary: ({ slowResponses: r }) =>
      `p${r.quantile * 100} user-path response time of {{ $labels.target }} above ${r.thresholdSeconds} s for ${promDuration(r.sustainMs)}`,
    expr: ({ slowResponses: { quantile, windowMs, thresholdSeconds } }) =>
      `histogram_quantile(${quantile}, sum by (target, location, le) (rate(vor_probe_request_duration_seconds_bucket{purpose="user"}[${promDuration(windowMs)}]))) > ${thresholdSeconds}`,
    forMs: (s) => s.slowResponses.sustainMs,
    recoveryMs: (s) => s.slowResponses.recoveryMs,
  },
  {
    id: 'rollback.health_failures',
    alert: 'VorRollbackHealthFailures',
    summary: ({ healthFailures: h }) => `More than ${h.maxConsecutive} consecutive health checks of {{ $labels.target }} failed`,
    expr: ({ healthFailures: { maxConsecutive } }) => `max by (target, location) (vor_health_consecutive_failures) > ${maxConsecutive}`,
    forMs: () => 0,
    recoveryMs: (s) => s.healthFailures.recoveryMs,
  },
];
