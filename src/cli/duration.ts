import ms from 'ms';
import { configError } from '../config/errors.js';

/** Parses "30s", "5m", "1h" or a bare number of seconds; names the flag when it cannot. */
export function parseDurationMs(value: string, flag: string, { min = 1, max = 7 * 24 * 3_600_000 } = {}): number {
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : ms(value as ms.StringValue);
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed < min || parsed > max) {
    throw configError(
      flag,
      `"${value}" is not a duration between ${ms(min)} and ${ms(max)}; use e.g. 30s, 5m, 1h (a bare number is seconds)`,
    );
  }
  return parsed;
}

export function parseIntegerFlag(value: string, flag: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
    throw configError(flag, `"${value}" is not a whole number between ${min} and ${max}`);
  }
  return parsed;
}
