import type { Status } from '../core/result.js';

/**
 * Consecutive health failures after one more health.endpoint result: fail/error count, pass/warn
 * reset to zero (checks.md: "one success resets the count"), skip says nothing and keeps the count.
 */
export function nextHealthStreak(count: number, status: Status): number {
  switch (status) {
    case 'fail':
    case 'error':
      return count + 1;
    case 'pass':
    case 'warn':
      return 0;
    case 'skip':
      return count;
  }
}
