import { promDuration, TRIGGER_IDS, type TriggerId, type TriggerSettings } from '../alerting/triggers.js';
import type { ProbeOptions } from '../config/schema.js';
import { DEFAULT_GROUPS } from './schedule.js';

export interface UnfillableWindow {
  readonly id: TriggerId;
  /** How long the gate must watch before this trigger could fire. */
  readonly requiredMs: number;
  readonly message: string;
}

/** What the health schedule depends on: the gate's interval and the probe options the health job's deadline comes from. */
export interface HealthCadence {
  readonly intervalMs: number;
  readonly options: Pick<ProbeOptions, 'deadlineMs' | 'healthTimeoutMs'>;
}

/**
 * How far apart consecutive health checks can be: a hung check runs until the health job's own
 * deadline (the schedule's, at least its request timeout), and the next starts only after it.
 */
export function healthCycleMs({ intervalMs, options }: HealthCadence): number {
  const health = DEFAULT_GROUPS.find((g) => g.name === 'health');
  const deadlineMs = health?.deadlineMs?.(intervalMs, options as ProbeOptions) ?? intervalMs;
  return Math.max(intervalMs, deadlineMs);
}

/**
 * How long each trigger needs before it can fire, hence before its silence means anything:
 * the error rate its trailing window, slow responses the longer of its window and the time the
 * condition must be sustained, health failures as many health cycles as failures must follow
 * one another (a hung target's 4th consecutive check ends 4 cycles after the 1st began).
 */
export function requiredWatchMs(id: TriggerId, settings: TriggerSettings, health: HealthCadence): number {
  switch (id) {
    case 'rollback.error_rate':
      return settings.errorRate.windowMs;
    case 'rollback.slow_responses':
      return Math.max(settings.slowResponses.windowMs, settings.slowResponses.sustainMs);
    case 'rollback.health_failures':
      return settings.healthFailures.maxConsecutive * healthCycleMs(health);
  }
}

/** The triggers a gate watching for `forMs` cannot judge: their silence at the end would prove nothing. */
export function unfillableWindows(settings: TriggerSettings, forMs: number, health: HealthCadence): UnfillableWindow[] {
  return TRIGGER_IDS.flatMap((id) => {
    const requiredMs = requiredWatchMs(id, settings, health);
    if (requiredMs <= forMs) return [];
    const message = `${id} cannot be judged within --for ${seconds(forMs)}: it needs ${promDuration(requiredMs)} of watching (pass --for ${promDuration(requiredMs)} or longer)`;
    return [{ id, requiredMs, message }];
  });
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;
