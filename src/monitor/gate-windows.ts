import { promDuration, TRIGGER_IDS, type TriggerId, type TriggerSettings } from '../alerting/triggers.js';

export interface UnfillableWindow {
  readonly id: TriggerId;
  /** How long the gate must watch before this trigger could fire. */
  readonly requiredMs: number;
  readonly message: string;
}

/**
 * How long each trigger needs before it can fire, hence before its silence means anything:
 * the error rate its trailing window, slow responses the longer of its window and the time the
 * condition must be sustained, health failures as many health intervals as failures must follow
 * one another (the 4th consecutive check starts 3 intervals after the 1st).
 */
export function requiredWatchMs(id: TriggerId, settings: TriggerSettings, healthIntervalMs: number): number {
  switch (id) {
    case 'rollback.error_rate':
      return settings.errorRate.windowMs;
    case 'rollback.slow_responses':
      return Math.max(settings.slowResponses.windowMs, settings.slowResponses.sustainMs);
    case 'rollback.health_failures':
      return settings.healthFailures.maxConsecutive * healthIntervalMs;
  }
}

/** The triggers a gate watching for `forMs` cannot judge: their silence at the end would prove nothing. */
export function unfillableWindows(settings: TriggerSettings, forMs: number, healthIntervalMs: number): UnfillableWindow[] {
  return TRIGGER_IDS.flatMap((id) => {
    const requiredMs = requiredWatchMs(id, settings, healthIntervalMs);
    if (requiredMs <= forMs) return [];
    const message = `${id} cannot be judged within --for ${seconds(forMs)}: it needs ${promDuration(requiredMs)} of watching (pass --for ${promDuration(requiredMs)} or longer)`;
    return [{ id, requiredMs, message }];
  });
}

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10}s`;
