import { compareOutcomes, type RunComparison } from '../report/compare.js';
import { linksFor, pointLink } from './links.js';
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
 * A finished run (its folder complete, marker written) joins the history; then, holding the
 * history's lock so that concurrent runs take turns, the latest links move and retention prunes
 * this command's runs on this target down to `keep` (0 keeps all).
 */
export function recordFinishedRun(
  store: HistoryStore,
  reportsDir: string,
  run: RunRecord,
  checks: readonly CheckRecord[],
  keep: number,
): RecordOutcome {
  return store.locked(() => {
    store.record(run, checks);
    const warnings: string[] = [];
    const links: string[] = [];
    for (const [link, target] of linksFor(store, reportsDir, run)) {
      try {
        pointLink(reportsDir, link, target.folder);
        links.push(link);
      } catch (error) {
        warnings.push(`${link} was not updated: ${(error as Error).message}`);
      }
    }
    const removed: string[] = [];
    for (const doomed of runsToPrune(store.liveRuns(run.command, run.target), keep, run.runId)) {
      if (!deleteRunFolder(reportsDir, doomed)) continue;
      store.markPruned(doomed.runId);
      removed.push(doomed.folder);
    }
    if (keep > 0) {
      for (const folder of abandonedRunFolders(reportsDir)) if (deleteRunFolder(reportsDir, { folder })) removed.push(folder);
    }
    return { links, removed, warnings };
  });
}
