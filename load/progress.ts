import type { LoadWindow } from './sample.js';
import type { LoadCheckId } from './scenarios/types.js';
import { formatRatio, formatSeconds } from './report/format.js';

/** One line per closed window: the live view of a running load test. */
export function formatWindowLine(window: LoadWindow, breaches: readonly LoadCheckId[], label: string): string {
  const span = `${window.startSeconds}–${window.endSeconds} s`;
  const figures = `${window.requests} req (${window.requestsPerSecond.toFixed(1)}/s), p95 ${formatSeconds(window.latency.p95)}, p99 ${formatSeconds(window.latency.p99)}, errors ${formatRatio(window.errorRatio)}`;
  return `[load] ${label} ${span}: ${figures}${breaches.length > 0 ? `  BREACH ${breaches.join(', ')}` : ''}`;
}
