import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Attestation, RunSummary } from '../core/result.js';
import { LATEST, pointRunLinks } from '../history/links.js';
import { COMPLETE_MARKER } from '../history/marker.js';
import type { RunHistoryView } from '../history/run-index.js';
import type { CheckRecord, HistoryStore, RunRecord } from '../history/store.js';
import type { ReportArtifacts } from './html.js';
import { renderSummaryJson } from './summary.js';

export { LATEST };

/** Sortable and filesystem-safe: 2026-11-28T10-00-00-000Z-verify (a second run in the same millisecond: …-verify-2). */
export function newRunId(command: string, now: Date = new Date(), attempt = 1): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${command}${attempt > 1 ? `-${attempt}` : ''}`;
}

export const runDirOf = (reportsDir: string, runId: string): string => path.join(reportsDir, runId);

/** Runs starting in the same millisecond that one reports folder can tell apart. */
const MAX_RUNS_PER_MS = 100;

/**
 * Creates a new run's folder under reportsDir, exclusively: two runs that start in the same
 * millisecond get two folders (…-verify, …-verify-2), never one shared folder and history row.
 */
export function createRunFolder(reportsDir: string, command: string, startedAt: Date): { runId: string; dir: string } {
  mkdirSync(reportsDir, { recursive: true });
  for (let attempt = 1; ; attempt += 1) {
    const runId = newRunId(command, startedAt, attempt);
    const dir = runDirOf(reportsDir, runId);
    try {
      mkdirSync(dir);
      return { runId, dir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= MAX_RUNS_PER_MS) throw error;
    }
  }
}

export interface WriteReportOptions {
  readonly reportsDir: string;
  readonly runId?: string;
  readonly command?: string;
  /** What the command selected (verify's suite, probe's --check globs, …); "compared with the previous run" stays within it. */
  readonly suite?: string;
  /** The targets' names by origin: the history follows a target by name (the embedded target's port changes every run). */
  readonly targetNames?: Readonly<Record<string, string>>;
  readonly attestations?: readonly Attestation[];
  readonly artifacts?: ReportArtifacts;
  /** Extra files to place in the run folder, name → content. */
  readonly extras?: Readonly<Record<string, string>>;
  /** Run folders to keep per command and target (the oldest go first); 0 or absent keeps all. */
  readonly keep?: number;
  /** --keep: retention never deletes this run. */
  readonly kept?: boolean;
  /**
   * The run folder when it is not <reportsDir>/<runId> (a temporary folder when the reports
   * folder is unusable): written there without history, links or retention.
   */
  readonly runDir?: string;
  /** How long to wait for another run holding the history's lock, per attempt (default: the store's). */
  readonly historyBusyTimeoutMs?: number;
}

export interface WrittenReport {
  readonly dir: string;
  readonly runId: string;
  /** What went wrong around the report (history, links) without costing the report itself. */
  readonly warnings: readonly string[];
}

/**
 * Writes a file whole or not at all: a temporary file beside it, renamed into place. A full disk
 * leaves the previous file (or none), never a truncated one.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * What writing a report needs beyond summary.json (the history's SQLite, the HTML and JUnit
 * renderers with their libraries, ~0.3 s CPU to load): loaded on first use, so that a command which
 * never writes a run report (`vor-watch report`, a usage mistake) never pays for them. Not preloaded
 * while a run goes on: their synchronous module evaluation would stall the event loop inside probe
 * and load timings.
 */
const loadReportWriters = () =>
  Promise.all([
    import('../history/run-index.js'),
    import('../history/store.js'),
    import('./html.js'),
    import('./junit.js'),
    import('./screenshot-views.js'),
  ]);

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function openHistory(
  Store: typeof HistoryStore,
  reportsDir: string,
  busyTimeoutMs: number | undefined,
  warnings: string[],
): HistoryStore | undefined {
  try {
    return Store.open(reportsDir, busyTimeoutMs === undefined ? {} : { busyTimeoutMs });
  } catch (error) {
    warnings.push(`the run history (${path.join(reportsDir, 'history.sqlite')}) is unavailable: ${message(error)}`);
    return undefined;
  }
}

/**
 * Writes reports/<run-id>/{summary.json, junit.xml, index.html}, each whole or not at all, then
 * the completion marker; then the run joins the history (reports/history.sqlite) and its latest
 * links move to it, one run at a time, and retention prunes (a history locked too long by other
 * runs: the links still move, without history). Throws only when the run folder itself
 * cannot be written; history and link trouble come back as warnings.
 */
export async function writeRunReport(summary: RunSummary, options: WriteReportOptions): Promise<WrittenReport> {
  const [
    { historyViewOf, recordFinishedRun, whileBusyRetry },
    { HistoryStore },
    { renderHtmlReport },
    { renderJunit },
    { prepareScreenshotsIfAny },
  ] = await loadReportWriters();
  const command = options.command ?? 'run';
  const { runId, dir } = runFolderOf(summary, options, command);
  const warnings: string[] = [];
  const indexed = options.runDir === undefined;
  const history = indexed ? openHistory(HistoryStore, options.reportsDir, options.historyBusyTimeoutMs, warnings) : undefined;
  try {
    const nameOf = (origin: string) => options.targetNames?.[origin] ?? origin;
    const record: RunRecord = {
      runId,
      command,
      target: options.targetNames === undefined ? summary.target : [...new Set(Object.values(options.targetNames))].join(', '),
      suite: options.suite ?? '',
      verdict: summary.verdict,
      startedAt: summary.startedAt,
      durationMs: summary.durationMs,
      folder: runId,
      kept: options.kept === true,
      version: summary.version,
    };
    const checks: CheckRecord[] = summary.results.map((r) => ({
      checkId: r.id,
      target: nameOf(r.target),
      status: r.status,
      durationMs: r.durationMs,
    }));
    let view: RunHistoryView = { trends: [] };
    if (history !== undefined) {
      try {
        view = historyViewOf(history, record, checks);
      } catch (error) {
        warnings.push(`the run history could not be read: ${message(error)}`);
      }
    }
    await writeFileAtomic(path.join(dir, 'summary.json'), renderSummaryJson(summary));
    await writeFileAtomic(path.join(dir, 'junit.xml'), renderJunit(summary));
    await writeFileAtomic(
      path.join(dir, 'index.html'),
      renderHtmlReport({
        summary,
        attestations: options.attestations ?? [],
        ...(view.comparison === undefined ? {} : { comparison: view.comparison }),
        trends: view.trends,
        ...(options.artifacts === undefined ? {} : { artifacts: options.artifacts }),
        reportsDir: options.reportsDir,
        runDir: dir,
        screenshots: await prepareScreenshotsIfAny(options.artifacts, dir),
      }),
    );
    for (const [name, content] of Object.entries(options.extras ?? {})) await writeFileAtomic(path.join(dir, name), content);
    // Last: from here on the folder is a finished run, which retention may prune.
    await writeFileAtomic(path.join(dir, COMPLETE_MARKER), `${new Date().toISOString()}\n`);
    if (history !== undefined) {
      try {
        const outcome = whileBusyRetry(() => recordFinishedRun(history, options.reportsDir, record, checks, options.keep ?? 0));
        warnings.push(...outcome.warnings);
      } catch (error) {
        warnings.push(`the run could not be added to the run history: ${message(error)}`);
        // The run's links still move: `latest` is this run whatever happened to the history.
        warnings.push(...pointRunLinks(options.reportsDir, record).warnings);
      }
    } else if (indexed) {
      warnings.push(...pointRunLinks(options.reportsDir, record).warnings);
    }
  } finally {
    history?.close();
  }
  return { dir, runId, warnings };
}

/** The run's id and folder: given (made by beginRun), a folder outside the reports folder, or a new one made here. */
function runFolderOf(summary: RunSummary, options: WriteReportOptions, command: string): { runId: string; dir: string } {
  if (options.runId === undefined && options.runDir === undefined) {
    return createRunFolder(options.reportsDir, command, new Date(summary.startedAt));
  }
  const runId = options.runId ?? newRunId(command, new Date(summary.startedAt));
  const dir = options.runDir ?? runDirOf(options.reportsDir, runId);
  mkdirSync(dir, { recursive: true });
  return { runId, dir };
}
