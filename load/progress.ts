import type { LoadWindow } from './sample.js';
import type { LoadCheckId } from './scenarios/types.js';
import { formatRatio, formatSeconds } from './report/format.js';

const BAR_WIDTH = 20;

/** `[=========>----------]`: how much of the planned time has run. */
export function progressBar(fraction: number, width = BAR_WIDTH): string {
  const filled = Math.floor(Math.min(1, Math.max(0, fraction)) * width);
  return filled >= width ? `[${'='.repeat(width)}]` : `[${'='.repeat(filled)}>${'-'.repeat(width - filled - 1)}]`;
}

export type WindowLine = (window: LoadWindow, breaches: readonly LoadCheckId[], label: string) => string;

/**
 * The live view of a running load test, k6-like: one line per closed window with the time run out
 * of the time planned, a bar, the current rate (this window's) and the requests so far. A capacity
 * search runs one phase per rate, each counting its windows from 0: phases add up.
 *
 * @example
 * "[load] browse  12 s / 30 s [=======>------------]  40 %  now 245.0 req/s, 2940 req so far; window 10–12 s: p95 12 ms, p99 30 ms, errors 0.0 %"
 */
export function createLoadProgress(plannedSeconds: number): WindowLine {
  let label: string | undefined;
  let phaseStart = 0;
  let phaseEnd = 0;
  let requests = 0;
  return (window, breaches, windowLabel) => {
    if (label !== undefined && windowLabel !== label) phaseStart += phaseEnd;
    label = windowLabel;
    phaseEnd = window.endSeconds;
    requests += window.requests;
    const elapsed = Math.min(plannedSeconds, phaseStart + window.endSeconds);
    const fraction = plannedSeconds > 0 ? elapsed / plannedSeconds : 1;
    const clock = `${Math.round(elapsed)} s / ${plannedSeconds} s ${progressBar(fraction)} ${`${Math.round(fraction * 100)}`.padStart(3)} %`;
    const now = `now ${window.requestsPerSecond.toFixed(1)} req/s, ${requests} req so far`;
    const figures = `window ${window.startSeconds}–${window.endSeconds} s: p95 ${formatSeconds(window.latency.p95)}, p99 ${formatSeconds(window.latency.p99)}, errors ${formatRatio(window.errorRatio)}`;
    return `[load] ${label}  ${clock}  ${now}; ${figures}${breaches.length > 0 ? `  BREACH ${breaches.join(', ')}` : ''}`;
  };
}
