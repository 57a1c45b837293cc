import { compareOutcomes, type RunComparison } from '../report/compare.js';
import { pointRunLinks } from './links.js';
import { abandonedRunFolders, deleteRunFolder, runsToPrune } from './retention.js';
import type { CheckRecord, HistoryStore, RunRecord } from './store.js';
import { trendsOf, STRIP_LENGTH, type CheckTrend } from './trends.js';

/** What the history says about a run about to be written: the comparison with its previous run, and each check's trend. */
export interface RunHistoryView {
  readonly comparison?: RunComparison;
  readonly trends: readonly CheckTrend[];
}

/**
 * "Compared with the previous run" is with the last run of the same command, target and suite;
 * the trends cover each of this run's checks on its targets across any command, this run last.
 */
export function historyViewOf(store: HistoryStore, run: RunRecord, checks: readonly CheckRecord[]): RunHistoryView {
  const previous = store.previousRun(run, run);
  const targets = [...new Set(checks.map((c) => c.target))];
  const earlier = store.checkSeries(targets, STRIP_LENGTH - 1, run.startedAt);
  const mine = new Set(checks.map((c) => `${c.target}\u0000${c.checkId}`));
  const points = [
    ...earlier.filter((p) => mine.has(`${p.target}\u0000${p.checkId}`)),
    ...checks.map((c) => ({ ...c, runId: run.runId, command: run.command, startedAt: run.startedAt })),
  ];
  const outcomes = (list: readonly CheckRecord[]) => list.map((c) => ({ id: c.checkId, target: c.target, status: c.status }));
  return {
    ...(previous === undefined
      ? {}
      : {
          comparison: compareOutcomes(
            {
              startedAt: previous.startedAt,
              verdict: previous.verdict,
              // Linked only while its folder is still there.
              ...(previous.pruned === true ? {} : { runId: previous.runId }),
              checks: outcomes(store.checksOf(previous.runId)),
            },
            outcomes(checks),
          ),
        }),
    trends: trendsOf(points),
  };
}

export interface RecordOutcome {
  /** Links repointed (relative to the reports folder). */
  readonly links: readonly string[];
  /** Run folders retention deleted. */
  readonly removed: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * A finished run (its folder complete, marker written) joins the history and its links move to
 * it, holding the history's lock so that concurrent runs take turns; retention marks this
 * command's runs on this target beyond `keep` (0 keeps all) pruned there, and deletes their
 * folders after the lock is released, so no other run waits on a deletion.
 */
export function recordFinishedRun(
  store: HistoryStore,
  reportsDir: string,
  run: RunRecord,
  checks: readonly CheckRecord[],
  keep: number,
): RecordOutcome {
  const { links, warnings, doomed } = store.locked(() => {
    store.record(run, checks);
    const pointed = pointRunLinks(reportsDir, run);
    const doomed = runsToPrune(store.liveRuns(run.command, run.target), keep, run.runId);
    for (const d of doomed) store.markPruned(d.runId);
    return { ...pointed, doomed };
  });
  const removed: string[] = [];
  for (const d of doomed) {
    if (deleteRunFolder(reportsDir, d)) removed.push(d.folder);
    else unmarkPruned(store, d.runId, warnings);
  }
  if (keep > 0) {
    for (const folder of abandonedRunFolders(reportsDir)) if (deleteRunFolder(reportsDir, { folder })) removed.push(folder);
  }
  return { links, removed, warnings };
}

/** A folder that could not be deleted stays in the history as live: the next run's retention tries again. */
function unmarkPruned(store: HistoryStore, runId: string, warnings: string[]): void {
  try {
    store.markPruned(runId, false);
  } catch (error) {
    warnings.push(`${runId} could not be deleted and stays marked as pruned: ${(error as Error).message}`);
  }
}

/** How often a run tries to take the history's lock (each try waits up to the store's busy timeout). */
export const BUSY_ATTEMPTS = 3;

/** Runs `work` again while the history is locked by another run (SQLITE_BUSY), at most `attempts` times. */
export function whileBusyRetry<T>(work: () => T, attempts: number = BUSY_ATTEMPTS): T {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (attempt >= attempts || typeof code !== 'string' || !code.startsWith('SQLITE_BUSY')) throw error;
    }
  }
}
