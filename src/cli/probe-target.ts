import { PROBES } from '../../probes/index.js';
import type { CheckResult } from '../core/result.js';
import { errorTrackingProbe } from '../sentry/probe.js';
import { runProbes } from '../core/runner.js';
import type { Target } from '../core/target.js';
import type { TargetSession } from './context.js';

/** Every registered probe (or those matching checkGlobs) against one target, with the session's options. */
export function probeTarget(
  session: TargetSession,
  target: Target,
  options: { checkGlobs?: readonly string[]; signal?: AbortSignal; onResults?: (results: readonly CheckResult[]) => void },
): Promise<CheckResult[]> {
  const { sentryDsn, release } = session.config;
  // monitoring.error_tracking needs the run's DSN, so its probe is built per session.
  const errorTracking = errorTrackingProbe({
    redactor: session.redactor,
    ...(sentryDsn === undefined ? {} : { dsn: sentryDsn }),
    ...(release === undefined ? {} : { release }),
  });
  return runProbes({
    target,
    probes: [...PROBES, errorTracking],
    options: session.config.probes,
    budgets: session.config.budgets,
    redactor: session.redactor,
    ...options,
  });
}
