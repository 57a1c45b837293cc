import type { RunSummary } from '../core/result.js';
import { isBlocking } from '../core/verdict.js';

export interface RunComparison {
  readonly previousStartedAt: string;
  readonly previousVerdict: RunSummary['verdict'];
  /** Blocking now, not blocking (or absent) before. */
  readonly newlyFailing: readonly string[];
  /** Blocking before, passing/warning now. */
  readonly fixed: readonly string[];
}

const key = (r: { id: string; target: string }): string => `${r.id} @ ${r.target}`;

export function compareRuns(previous: RunSummary, current: RunSummary): RunComparison {
  const before = new Map(previous.results.map((r) => [key(r), r.status]));
  const now = new Map(current.results.map((r) => [key(r), r.status]));
  const newlyFailing = [...now].filter(([k, s]) => isBlocking(s) && !isBlocking(before.get(k) ?? 'pass')).map(([k]) => k);
  const fixed = [...before].filter(([k, s]) => isBlocking(s) && now.has(k) && !isBlocking(now.get(k) ?? 'pass')).map(([k]) => k);
  return { previousStartedAt: previous.startedAt, previousVerdict: previous.verdict, newlyFailing, fixed };
}
