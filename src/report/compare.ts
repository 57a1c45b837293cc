import type { RunSummary, Status, Verdict } from '../core/result.js';
import { isBlocking } from '../core/verdict.js';

export interface RunComparison {
  readonly previousStartedAt: string;
  readonly previousVerdict: Verdict;
  /** The previous run's folder (relative to the reports folder), when the history knows it. */
  readonly previousRunId?: string;
  /** Blocking now, and ran before without blocking. */
  readonly newlyFailing: readonly string[];
  /** Blocking before, passing/warning now. */
  readonly fixed: readonly string[];
  /** Not run in the previous run: new, never "newly failing" (whatever their status). */
  readonly notRunBefore: readonly string[];
}

/** One check's status in one run; `target` is whatever identifies the target in both runs (its name in the history). */
export interface CheckOutcome {
  readonly id: string;
  readonly target: string;
  readonly status: Status;
}

const key = (r: CheckOutcome): string => `${r.id} @ ${r.target}`;

/** Compares two runs' outcomes check by check; a check absent before is "not run before", not a pass. */
export function compareOutcomes(
  previous: { readonly startedAt: string; readonly verdict: Verdict; readonly runId?: string; readonly checks: readonly CheckOutcome[] },
  current: readonly CheckOutcome[],
): RunComparison {
  const before = new Map(previous.checks.map((r) => [key(r), r.status]));
  const now = new Map(current.map((r) => [key(r), r.status]));
  const newlyFailing: string[] = [];
  const notRunBefore: string[] = [];
  for (const [k, status] of now) {
    const was = before.get(k);
    if (was === undefined) notRunBefore.push(k);
    else if (isBlocking(status) && !isBlocking(was)) newlyFailing.push(k);
  }
  const fixed = [...before].filter(([k, s]) => isBlocking(s) && now.has(k) && !isBlocking(now.get(k) ?? 'pass')).map(([k]) => k);
  return {
    previousStartedAt: previous.startedAt,
    previousVerdict: previous.verdict,
    ...(previous.runId === undefined ? {} : { previousRunId: previous.runId }),
    newlyFailing,
    fixed,
    notRunBefore,
  };
}

/** Two run summaries of the same target (by origin). */
export function compareRuns(previous: RunSummary, current: RunSummary): RunComparison {
  return compareOutcomes({ startedAt: previous.startedAt, verdict: previous.verdict, checks: previous.results }, current.results);
}
