import type { RunConfig } from '../config/resolve.js';
import type { CheckId } from '../core/catalogue.js';
import type { Probe } from '../core/probe.js';
import { createRedactor, type Redactor } from '../core/redact.js';
import type { CheckResult } from '../core/result.js';
import { runProbes } from '../core/runner.js';
import type { Target } from '../core/target.js';
import { httpCheckProbes } from '../custom/http-probe.js';
import { withOverrides } from '../custom/overrides.js';
import { metricsProbe } from '../metrics/probe.js';
import { errorTrackingProbe } from '../sentry/probe.js';
import { PROBES } from '../../probes/index.js';
import type { Session } from './session.js';

export interface ProbeSetOptions {
  /** The monitor's own /metrics, for its self-check (monitoring.metrics); only the monitor has one. */
  readonly metricsUrl?: string;
}

/**
 * THE probe set of a session, for probe, verify, monitor and gate alike: every HTTP family of
 * probes/index.ts, error tracking with the session's DSN, the /metrics self-check where there
 * is a /metrics to check, and the targets' HTTP assertion checks from the config (custom.*). Each
 * runs with its target's overrides (a check switched off, its severity or parameters changed).
 */
export function probeSet(
  session: {
    readonly config: Pick<RunConfig, 'sentryDsn' | 'release'>;
    readonly redactor: Redactor;
    readonly targets?: readonly Pick<Target, 'checkSettings'>[];
  },
  options: ProbeSetOptions = {},
): Probe[] {
  const { sentryDsn, release } = session.config;
  const errorTracking = errorTrackingProbe({
    redactor: session.redactor,
    ...(sentryDsn === undefined ? {} : { dsn: sentryDsn }),
    ...(release === undefined ? {} : { release }),
  });
  return [
    ...PROBES,
    errorTracking,
    ...(options.metricsUrl === undefined ? [] : [metricsProbe(options.metricsUrl)]),
    ...httpCheckProbes(session.targets ?? []),
  ].map(withOverrides);
}

/** Every built-in check id a one-shot probe run (probe, verify) answers for; the config's custom.* ids come on top. */
export const PROBE_CHECK_IDS: readonly CheckId[] = probeSet({ config: {}, redactor: createRedactor([]) }).flatMap((p) => p.checks);

/** The session's probe set (or the checks matching checkGlobs) against one target, over the session's connections. */
export function probeTarget(
  session: Pick<Session, 'config' | 'redactor' | 'transport' | 'targets'>,
  target: Target,
  options: { checkGlobs?: readonly string[]; signal?: AbortSignal; onResults?: (results: readonly CheckResult[]) => void },
): Promise<CheckResult[]> {
  return runProbes({
    target,
    probes: probeSet(session),
    options: session.config.probes,
    budgets: session.config.budgets,
    redactor: session.redactor,
    transport: session.transport,
    ...options,
  });
}
