import type { CheckResult } from '../core/result.js';
import type { Target } from '../core/target.js';
import { isBlocking } from '../core/verdict.js';
import type { SentryReporter } from './client.js';

/** A cycle of checks against one target, as the monitor runs them. */
export interface CheckCycle {
  readonly target: Target;
  readonly group: string;
  readonly intervalMs: number;
}

/** What Sentry listens to; the monitor's hooks have this shape, so these plug straight in. */
export interface SentryHooks {
  onCycleStart(cycle: CheckCycle): void;
  onCycleEnd(cycle: CheckCycle, outcome: { readonly ok: boolean; readonly durationMs: number }): void;
  onResults(target: Target, results: readonly CheckResult[]): void;
}

/**
 * Failing results become events; each probe cycle is a cron check-in (in_progress → ok/error).
 * A check that keeps failing is re-sent once per `resendMs`, not every cycle: the issue (grouped by
 * check and target) stays current without one event per 30 s per target.
 */
export function sentryHooks(reporter: SentryReporter, { resendMs = 3_600_000, now = Date.now } = {}): SentryHooks {
  const open = new Map<string, string>();
  const lastSent = new Map<string, number>();
  return {
    onCycleStart({ target, group, intervalMs }) {
      open.set(`${target.origin} ${group}`, reporter.cycleStarted(target.origin, group, intervalMs));
    },
    onCycleEnd({ target, group }, { ok, durationMs }) {
      const key = `${target.origin} ${group}`;
      const id = open.get(key);
      open.delete(key);
      if (id !== undefined) reporter.cycleFinished(id, target.origin, group, ok, durationMs);
    },
    onResults(target, results) {
      for (const r of results) {
        const key = `${r.id} ${r.target}`;
        if (!isBlocking(r.status)) {
          lastSent.delete(key);
          continue;
        }
        const sent = lastSent.get(key);
        if (sent !== undefined && now() - sent < resendMs) continue;
        lastSent.set(key, now());
        reporter.captureResult(target, r);
      }
    },
  };
}
