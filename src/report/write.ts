import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Attestation, RunSummary } from '../core/result.js';
import { LATEST, pointLink } from '../history/links.js';
import { COMPLETE_MARKER } from '../history/marker.js';
import { historyViewOf, recordFinishedRun, type RunHistoryView } from '../history/run-index.js';
import { HistoryStore, type CheckRecord, type RunRecord } from '../history/store.js';
import { renderHtmlReport, type ReportArtifacts } from './html.js';
import { prepareScreenshotsIfAny } from './screenshot-views.js';
import { renderJunit } from './junit.js';
import { renderSummaryJson } from './summary.js';

export { LATEST };

/** Sortable and filesystem-safe: 2026-11-28T10-00-00-000Z-verify. */
export function newRunId(command: string, now: Date = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${command}`;
}

export const runDirOf = (reportsDir: string, runId: string): string => path.join(reportsDir, runId);

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

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function openHistory(reportsDir: string, warnings: string[]): HistoryStore | undefined {
  try {
    return HistoryStore.open(reportsDir);
  } catch (error) {
    warnings.push(`the run history (${path.join(reportsDir, 'history.sqlite')}) is unavailable: ${message(error)}`);
    return undefined;
  }
}

/**
 * Writes reports/<run-id>/{summary.json, junit.xml, index.html}, each whole or not at all, then
 * the completion marker; then the run joins the history (reports/history.sqlite), the latest
 * links move and retention prunes, one run at a time. Throws only when the run folder itself
 * cannot be written; history and link trouble come back as warnings.
 */
export async function writeRunReport(summary: RunSummary, options: WriteReportOptions): Promise<WrittenReport> {
  const command = options.command ?? 'run';
  const runId = options.runId ?? newRunId(command, new Date(summary.startedAt));
  const dir = options.runDir ?? runDirOf(options.reportsDir, runId);
  mkdirSync(dir, { recursive: true });
  const warnings: string[] = [];
  const indexed = options.runDir === undefined;
  const history = indexed ? openHistory(options.reportsDir, warnings) : undefined;
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
        warnings.push(...recordFinishedRun(history, options.reportsDir, record, checks, options.keep ?? 0).warnings);
      } catch (error) {
        warnings.push(`the run could not be added to the run history: ${message(error)}`);
      }
    } else if (indexed) {
      pointLinksWithoutHistory(options.reportsDir, command, runId, warnings);
    }
  } finally {
    history?.close();
  }
  return { dir, runId, warnings };
}

/** Without the history, the run's own links still move (retention waits for the history to be back). */
function pointLinksWithoutHistory(reportsDir: string, command: string, runId: string, warnings: string[]): void {
  for (const link of command === 'verify' ? [LATEST, `${LATEST}-${command}`] : [`${LATEST}-${command}`]) {
    try {
      pointLink(reportsDir, link, runId);
    } catch (error) {
      warnings.push(`${link} was not updated: ${message(error)}`);
    }
  }
}
