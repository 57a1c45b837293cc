import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { COMPLETE_MARKER, isComplete } from './marker.js';
import type { RunRecord } from './store.js';

/**
 * Which of one command's runs on one target (newest first, folders still there) retention
 * deletes so that `keep` remain. Never the run being recorded, a run made with --keep, nor the
 * target's last GO verify of each suite (the release's evidence: a GO `verify --suite security`
 * does not replace the full suite's); the last two come on top of `keep`. 0 keeps all.
 */
export function runsToPrune(group: readonly RunRecord[], keep: number, currentRunId: string): RunRecord[] {
  if (keep <= 0) return [];
  const lastGoVerifies = new Set<string>();
  const suitesSeen = new Set<string>();
  for (const r of group) {
    if (r.command !== 'verify' || r.verdict !== 'pass' || suitesSeen.has(r.suite)) continue;
    suitesSeen.add(r.suite);
    lastGoVerifies.add(r.runId);
  }
  // The run being recorded counts among `keep` (it is the newest), but is never pruned, even when newer runs finished first.
  return group
    .filter((r) => !r.kept && !lastGoVerifies.has(r.runId))
    .slice(keep)
    .filter((r) => r.runId !== currentRunId);
}

/**
 * Deletes a run folder, its completion marker first (a deletion cut short leaves a folder that
 * no longer looks finished). Done after the history's lock is released: the run is marked pruned
 * first, so no other run links it. A folder that cannot be removed is never a reason to fail a run.
 */
export function deleteRunFolder(reportsDir: string, run: Pick<RunRecord, 'folder'>): boolean {
  // The history only holds folder names it made itself; anything else is never deleted.
  if (run.folder !== path.basename(run.folder) || run.folder.startsWith('.')) return false;
  const dir = path.join(reportsDir, run.folder);
  try {
    rmSync(path.join(dir, COMPLETE_MARKER), { force: true });
    rmSync(dir, { recursive: true, force: true });
    return true;
  } catch {
    return false;
  }
}

/** Longer than any run can last (gate --for is at most 24 h): an unfinished folder this old belongs to a run that died. */
export const ABANDONED_AFTER_MS = 48 * 3_600_000;

/** newRunId's names: …Z-<command>, and …Z-<command>-<n> for a further run in the same millisecond. */
const RUN_FOLDER = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z-[a-z]+(?:-\d+)?$/;

/** When a run folder's run started, from its name (newRunId); undefined for any other name. */
export function startOfRunFolder(name: string): number | undefined {
  const m = RUN_FOLDER.exec(name);
  return m === null ? undefined : Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
}

/**
 * Run folders without a completion marker whose run started more than ABANDONED_AFTER_MS ago:
 * runs that were killed or crashed (a run still going is never that old). Nothing else: a
 * folder with a readable summary.json is a finished run (one written before the marker
 * existed, say, perhaps the release's last GO verify), never abandoned.
 */
export function abandonedRunFolders(reportsDir: string, now: number = Date.now()): string[] {
  let names: string[];
  try {
    names = readdirSync(reportsDir);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const started = startOfRunFolder(name);
    if (started === undefined || now - started <= ABANDONED_AFTER_MS) return false;
    const dir = path.join(reportsDir, name);
    return !isComplete(dir) && !hasRunSummary(dir);
  });
}

/** summary.json is there and reads as a run summary (it is written whole, by rename). */
function hasRunSummary(runDir: string): boolean {
  try {
    const summary = JSON.parse(readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as unknown;
    return typeof summary === 'object' && summary !== null && typeof (summary as { verdict?: unknown }).verdict === 'string';
  } catch {
    return false;
  }
}
