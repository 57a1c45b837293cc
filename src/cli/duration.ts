import ms from 'ms';
import { configError } from '../config/errors.js';

/** Parses "30s", "5m", "1h" or a bare number of seconds; names the flag when it cannot. */
export function parseDurationMs(value: string, flag: string, { min = 1, max = 7 * 24 * 3_600_000 } = {}): number {
  const expected = `a duration between ${ms(min)} and ${ms(max)}; use e.g. 30s, 5m, 1h (a bare number is seconds)`;
  // `--for "$WINDOW"` with the variable unset arrives as ''.
  if (value.trim() === '') throw configError(flag, `is empty; give ${expected}`);
  const parsed = /^\d+$/.test(value.trim()) ? Number(value) * 1000 : msOrNaN(value);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max) throw configError(flag, `"${value}" is not ${expected}`);
  return parsed;
}

/** ms() throws on some input (over 100 characters) and returns undefined on other; both are simply not a duration. */
function msOrNaN(value: string): number {
  try {
    const parsed: unknown = ms(value as ms.StringValue);
    return typeof parsed === 'number' ? parsed : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

export function parseIntegerFlag(value: string, flag: string, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (value.trim() === '') throw configError(flag, `is empty; give a whole number between ${min} and ${max}`);
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || parsed < min || parsed > max) {
    throw configError(flag, `"${value}" is not a whole number between ${min} and ${max}`);
  }
  return parsed;
}
