import type { captureCheckIn } from '@sentry/node';

type MonitorConfig = NonNullable<Parameters<typeof captureCheckIn>[1]>;

/** Sentry cron monitor slug for one probe group of one target: lower-case, [a-z0-9-], ≤ 50 chars. */
export function monitorSlug(origin: string, group: string): string {
  const host = origin
    .replace(/^[a-z]+:\/\//i, '')
    .replace(/[^a-z0-9]+/gi, '-')
    .toLowerCase();
  return `vor-watch-${group}-${host}`.replace(/-+/g, '-').replace(/-$/, '').slice(0, 50);
}

/** The schedule Sentry expects, so a missed cycle shows up as a missed check-in. */
export function monitorConfig(intervalMs: number): MonitorConfig {
  const minutes = Math.max(1, Math.round(intervalMs / 60_000));
  return {
    schedule: { type: 'interval', value: minutes, unit: 'minute' },
    checkinMargin: Math.max(1, minutes),
    maxRuntime: Math.max(1, minutes * 2),
  };
}
