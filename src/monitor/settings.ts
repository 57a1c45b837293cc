import { configError } from '../config/errors.js';
import { DEFAULT_TRIGGER_SETTINGS, scaleTriggerSettings, type TriggerSettings } from '../alerting/triggers.js';

/**
 * VOR_TRIGGER_TIME_SCALE divides every trigger window (60 turns 5 minutes into 5 seconds). For
 * tests and demos only; the shipped rule file uses the unscaled windows.
 */
export function triggerSettingsFromEnv(env: NodeJS.ProcessEnv): TriggerSettings {
  const raw = env.VOR_TRIGGER_TIME_SCALE;
  if (raw === undefined || raw === '') return DEFAULT_TRIGGER_SETTINGS;
  const factor = Number(raw);
  if (!Number.isFinite(factor) || factor < 1 || factor > 3600) {
    throw configError('VOR_TRIGGER_TIME_SCALE', `"${raw}" is not a number between 1 and 3600 (the factor trigger windows are divided by)`);
  }
  return scaleTriggerSettings(DEFAULT_TRIGGER_SETTINGS, factor);
}
