import type { TriggerStatus } from '../alerting/evaluator.js';

/**
 * One line saying where a gate stands: elapsed time and each trigger's state per target, so that a
 * CI log shows a long window is alive and what it is waiting for.
 *
 * @example
 * "12 s of 60 s; https://app.example: rollback.error_rate ok, rollback.slow_responses insufficient_data, rollback.health_failures ok"
 */
export function heartbeatLine(elapsedMs: number, forMs: number, statuses: ReadonlyMap<string, readonly TriggerStatus[]>): string {
  const head = `${Math.round(elapsedMs / 1000)} s of ${Math.round(forMs / 1000)} s`;
  if (statuses.size === 0) return `${head}; no probe cycle has finished yet`;
  const targets = [...statuses].map(([origin, list]) => `${origin}: ${list.map((s) => `${s.id} ${s.state}`).join(', ')}`);
  return `${head}; ${targets.join('; ')}`;
}
