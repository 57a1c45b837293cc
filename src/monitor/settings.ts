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

/** A Prometheus label value that stays low-cardinality and readable in alerts: `eu-west-1`, `fra`, `office.oslo`. */
const LOCATION = /^[a-z0-9][a-z0-9._-]{0,62}$/i;

/**
 * Where this monitor probes from: `--location` wins over VOR_LOCATION. Unset means no `location`
 * label, which keeps a single monitor's series as they were.
 */
export function locationFrom(flag: unknown, env: NodeJS.ProcessEnv): string | undefined {
  const [name, raw] = flag === undefined ? ['VOR_LOCATION', env.VOR_LOCATION] : ['--location', String(flag)];
  if (raw === undefined || raw === '') return undefined;
  if (!LOCATION.test(raw))
    throw configError(name, `"${raw}" is not a location name: letters, digits, ".", "_" or "-", at most 63, e.g. eu-west-1`);
  return raw;
}
