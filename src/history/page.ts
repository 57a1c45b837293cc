import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { Status } from '../core/result.js';
import { isComplete } from './marker.js';
import type { HistoryStore, RunRecord } from './store.js';
import { trendsOf, type CheckTrend } from './trends.js';

const eta = new Eta({ views: fileURLToPath(new URL('./templates', import.meta.url)), autoEscape: true, cache: true });

export const HISTORY_PAGE = 'history.html';

export interface HistoryPageOptions {
  readonly reportsDir: string;
  /** Where the page will be written: its links to run folders are relative to it. */
  readonly outFile: string;
  /** Newest runs listed (default 200). */
  readonly runs?: number;
  /** Runs per check strip (default 30). */
  readonly strip?: number;
  readonly now?: Date;
}

interface TargetView {
  readonly name: string;
  readonly runs: number;
  readonly go: number;
  readonly flaky: number;
  readonly trends: readonly (CheckTrend & { readonly sparkline: string })[];
}

/** An SVG polyline's points for durations, oldest first, in a 60 × 16 box. */
export function sparklinePoints(values: readonly number[]): string {
  if (values.length < 2) return '';
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  return values.map((v, i) => `${((i / (values.length - 1)) * 60).toFixed(1)},${(15 - ((v - min) / span) * 14).toFixed(1)}`).join(' ');
}

/** Flaky first, then the most failing, then by id: what needs a look comes first. */
const byAttention = (a: CheckTrend, b: CheckTrend): number =>
  Number(b.flaky) - Number(a.flaky) || b.failureRate - a.failureRate || a.id.localeCompare(b.id);

/**
 * The history across runs and targets as one page that opens from disk (no script, no network):
 * per target each check's strip of recent runs, flakiness and duration trend; then every run.
 */
export function renderHistoryPage(store: HistoryStore, options: HistoryPageOptions): string {
  const runs = store.runs(options.runs ?? 200);
  const counts = store.statusCounts();
  const outDir = path.dirname(path.resolve(options.outFile));
  const hrefOf = (run: RunRecord): string | undefined => {
    const dir = path.join(options.reportsDir, run.folder);
    if (run.pruned === true || !existsSync(dir) || !isComplete(dir)) return undefined;
    return path.relative(outDir, path.join(dir, 'index.html')).split(path.sep).join('/');
  };
  const targetNames = [...new Set(store.runs().map((r) => r.target))].sort();
  const checkTargets = [...new Set(store.checkTargets())].sort();
  const targets: TargetView[] = checkTargets.map((name) => {
    const trends = trendsOf(store.checkSeries([name], options.strip ?? 30), options.strip ?? 30)
      .map((t) => ({ ...t, sparkline: sparklinePoints(t.strip.map((c) => c.durationMs)) }))
      .sort(byAttention);
    const ofTarget = store.runsOfCheckTarget(name);
    return { name, runs: ofTarget.total, go: ofTarget.go, flaky: trends.filter((t) => t.flaky).length, trends };
  });
  const empty: Record<Status, number> = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  return eta.render('history-page', {
    generatedAt: (options.now ?? new Date()).toISOString(),
    reportsDir: options.reportsDir,
    runTargets: targetNames,
    targets,
    runs: runs.map((run) => ({ ...run, counts: counts.get(run.runId) ?? empty, href: hrefOf(run) })),
    totalRuns: store.runCount(),
  });
}
