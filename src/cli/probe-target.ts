import { PROBES } from '../../probes/index.js';
import type { CheckResult } from '../core/result.js';
import { runProbes } from '../core/runner.js';
import type { Target } from '../core/target.js';
import type { TargetSession } from './context.js';

/** Every registered probe (or those matching checkGlobs) against one target, with the session's options. */
export function probeTarget(
  session: TargetSession,
  target: Target,
  options: { checkGlobs?: readonly string[]; signal?: AbortSignal; onResults?: (results: readonly CheckResult[]) => void },
): Promise<CheckResult[]> {
  return runProbes({
    target,
    probes: PROBES,
    options: session.config.probes,
    budgets: session.config.budgets,
    redactor: session.redactor,
    ...options,
  });
}
