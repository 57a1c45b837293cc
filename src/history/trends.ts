import type { Status } from '../core/result.js';
import { isBlocking } from '../core/verdict.js';
import type { CheckPoint } from './store.js';

/** Runs shown per check in a strip. */
export const STRIP_LENGTH = 20;
/** A check whose outcome turned between blocking and not this many times within its strip is flaky. */
export const FLAKY_FLIPS = 2;

export interface StripCell {
  readonly status: Status;
  readonly runId: string;
  readonly command: string;
  readonly startedAt: string;
  readonly durationMs: number;
}

/** One check on one target across its last runs (any command), oldest first; the last cell is the newest run. */
export interface CheckTrend {
  readonly id: string;
  readonly target: string;
  readonly strip: readonly StripCell[];
  /** Turns between pass/warn and fail/error across the strip (skips are ignored). */
  readonly flips: number;
  readonly flaky: boolean;
  /** Share of the strip's evaluated runs (not skipped) that failed or errored, 0..1. */
  readonly failureRate: number;
  readonly duration: {
    readonly latestMs: number;
    /** Median of the runs before the newest; undefined when there were none. */
    readonly medianBeforeMs?: number;
    /** Newest vs that median, in percent (+50 = half as slow again). */
    readonly changePct?: number;
  };
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function countFlips(statuses: readonly Status[]): number {
  let flips = 0;
  let last: boolean | undefined;
  for (const status of statuses) {
    if (status === 'skip') continue;
    const blocking = isBlocking(status);
    if (last !== undefined && blocking !== last) flips += 1;
    last = blocking;
  }
  return flips;
}

/** One check's trend from its outcomes (any order); at most the newest STRIP_LENGTH are used. */
export function trendOf(points: readonly CheckPoint[], length = STRIP_LENGTH): CheckTrend | undefined {
  const ordered = [...points].sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId)).slice(-length);
  const newest = ordered.at(-1);
  if (newest === undefined) return undefined;
  const strip = ordered.map((p) => ({
    status: p.status,
    runId: p.runId,
    command: p.command,
    startedAt: p.startedAt,
    durationMs: p.durationMs,
  }));
  const flips = countFlips(strip.map((c) => c.status));
  const evaluated = strip.filter((c) => c.status !== 'skip');
  const medianBeforeMs = median(strip.slice(0, -1).map((c) => c.durationMs));
  return {
    id: newest.checkId,
    target: newest.target,
    strip,
    flips,
    flaky: flips >= FLAKY_FLIPS,
    failureRate: evaluated.length === 0 ? 0 : evaluated.filter((c) => isBlocking(c.status)).length / evaluated.length,
    duration: {
      latestMs: newest.durationMs,
      ...(medianBeforeMs === undefined ? {} : { medianBeforeMs }),
      ...(medianBeforeMs === undefined || medianBeforeMs <= 0
        ? {}
        : { changePct: Math.round(((newest.durationMs - medianBeforeMs) / medianBeforeMs) * 100) }),
    },
  };
}

/** Trends of every check in `points`, grouped by target and check id, in that order. */
export function trendsOf(points: readonly CheckPoint[], length = STRIP_LENGTH): CheckTrend[] {
  const groups = new Map<string, CheckPoint[]>();
  for (const p of points) {
    const k = `${p.target}\u0000${p.checkId}`;
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [p]);
    else group.push(p);
  }
  return [...groups.keys()]
    .sort()
    .map((k) => trendOf(groups.get(k) ?? [], length))
    .filter((t): t is CheckTrend => t !== undefined);
}
