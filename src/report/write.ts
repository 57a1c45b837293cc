import { existsSync, readFileSync } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Attestation, RunSummary } from '../core/result.js';
import { renderHtmlReport, type ReportArtifacts } from './html.js';
import { renderJunit } from './junit.js';
import { assertValidSummary, renderSummaryJson } from './summary.js';

export const LATEST = 'latest';

/** Sortable and filesystem-safe: 2026-11-28T10-00-00-000Z-verify. */
export function newRunId(command: string, now: Date = new Date()): string {
  return `${now.toISOString().replace(/[:.]/g, '-')}-${command}`;
}

/** What newRunId makes; nothing else in reportsDir is ever pruned. */
const RUN_ID = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z-[a-z]+$/;

export const runDirOf = (reportsDir: string, runId: string): string => path.join(reportsDir, runId);

export interface WriteReportOptions {
  readonly reportsDir: string;
  readonly runId?: string;
  readonly command?: string;
  readonly attestations?: readonly Attestation[];
  readonly artifacts?: ReportArtifacts;
  /** Extra files to place in the run folder, name → content. */
  readonly extras?: Readonly<Record<string, string>>;
  /** Run folders to keep, this one included (the oldest go first); 0 or absent keeps all. */
  readonly keep?: number;
}

/** The summary of the run that reports/latest points at, if any (for "compared with the previous run"). */
export function readLatestSummary(reportsDir: string): RunSummary | undefined {
  const file = path.join(reportsDir, LATEST, 'summary.json');
  if (!existsSync(file)) return undefined;
  try {
    return assertValidSummary(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return undefined;
  }
}

/** Points reports/latest at the run folder atomically (a relative symlink, renamed into place). */
async function pointLatest(reportsDir: string, runId: string): Promise<void> {
  const link = path.join(reportsDir, LATEST);
  const temporary = `${link}.${process.pid}.tmp`;
  await unlink(temporary).catch(() => undefined);
  await symlink(runId, temporary, 'dir');
  const existing = await lstat(link).catch(() => undefined);
  if (existing !== undefined && !existing.isSymbolicLink()) throw new Error(`${link} exists and is not a symlink; remove it`);
  await rename(temporary, link);
}

/** Writes reports/<run-id>/{summary.json, junit.xml, index.html} and repoints reports/latest. */
export async function writeRunReport(summary: RunSummary, options: WriteReportOptions): Promise<{ dir: string; runId: string }> {
  const runId = options.runId ?? newRunId(options.command ?? 'run', new Date(summary.startedAt));
  const dir = runDirOf(options.reportsDir, runId);
  await mkdir(dir, { recursive: true });
  const previous = readLatestSummary(options.reportsDir);
  await writeFile(path.join(dir, 'summary.json'), renderSummaryJson(summary));
  await writeFile(path.join(dir, 'junit.xml'), renderJunit(summary));
  await writeFile(
    path.join(dir, 'index.html'),
    renderHtmlReport({
      summary,
      attestations: options.attestations ?? [],
      ...(previous === undefined ? {} : { previous }),
      ...(options.artifacts === undefined ? {} : { artifacts: options.artifacts }),
    }),
  );
  for (const [name, content] of Object.entries(options.extras ?? {})) await writeFile(path.join(dir, name), content);
  await pointLatest(options.reportsDir, runId);
  if (options.keep !== undefined && options.keep > 0) await pruneRuns(options.reportsDir, runId, options.keep);
  return { dir, runId };
}

/**
 * Deletes the oldest finished run folders so that `keep` remain. Candidates are run folders that
 * already hold their summary.json (a run still in progress, which may have started earlier, has
 * none yet) other than the one just written. Best effort: a folder that cannot be removed is
 * left for next time, never a reason to fail the run.
 */
export async function pruneRuns(reportsDir: string, currentRunId: string, keep: number): Promise<string[]> {
  const entries = await readdir(reportsDir, { withFileTypes: true }).catch(() => []);
  const finished = entries
    .filter(
      (e) => e.isDirectory() && RUN_ID.test(e.name) && e.name !== currentRunId && existsSync(path.join(reportsDir, e.name, 'summary.json')),
    )
    .map((e) => e.name)
    .sort();
  const doomed = finished.slice(0, Math.max(0, finished.length - (keep - 1)));
  const removed: string[] = [];
  for (const name of doomed) {
    const ok = await rm(path.join(reportsDir, name), { recursive: true, force: true }).then(
      () => true,
      () => false,
    );
    if (ok) removed.push(name);
  }
  return removed;
}
