import { lstatSync, mkdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { isComplete } from './marker.js';
import type { HistoryStore, RunRecord } from './store.js';

export const LATEST = 'latest';
/** Per-target links live under reports/targets/<target>/ (README, "Results and reports"). */
export const TARGETS_DIR = 'targets';

/** A target key as a folder name: "reference", "staging", "app.example.com_8443". */
export function targetSlug(target: string): string {
  const slug = target
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '_')
    .replace(/^[._-]+|[._-]+$/g, '')
    .slice(0, 80);
  return slug === '' ? 'target' : slug;
}

type Filter = Parameters<HistoryStore['newestLive']>[0];

/** The newest recorded run matching `filter` whose folder is complete; a folder deleted by hand is marked pruned and skipped. */
function newestComplete(store: HistoryStore, reportsDir: string, filter: Filter): RunRecord | undefined {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const run = store.newestLive(filter);
    if (run === undefined || isComplete(path.join(reportsDir, run.folder))) return run;
    store.markPruned(run.runId);
  }
  return undefined;
}

/**
 * The links a finished run moves, each with the run it should point at: `latest` is the last
 * verify (until a first verify, the last run of any command), `latest-<command>` the last run of
 * that command; the same two per target under targets/<target>/. Call under the history's lock.
 */
export function linksFor(store: HistoryStore, reportsDir: string, run: Pick<RunRecord, 'command' | 'target'>): Map<string, RunRecord> {
  const links = new Map<string, RunRecord | undefined>();
  const perTarget = path.join(TARGETS_DIR, targetSlug(run.target));
  const latestOf = (target?: string) => {
    const scope = target === undefined ? {} : { target };
    return newestComplete(store, reportsDir, { ...scope, command: 'verify' }) ?? newestComplete(store, reportsDir, scope);
  };
  links.set(LATEST, latestOf());
  links.set(`${LATEST}-${run.command}`, newestComplete(store, reportsDir, { command: run.command }));
  links.set(path.join(perTarget, LATEST), latestOf(run.target));
  links.set(
    path.join(perTarget, `${LATEST}-${run.command}`),
    newestComplete(store, reportsDir, { command: run.command, target: run.target }),
  );
  return new Map([...links].filter((entry): entry is [string, RunRecord] => entry[1] !== undefined));
}

/** Points reports/<link> at a run folder atomically (a relative symlink, renamed into place); synchronous, to run under the lock. */
export function pointLink(reportsDir: string, link: string, folder: string): void {
  const file = path.join(reportsDir, link);
  mkdirSync(path.dirname(file), { recursive: true });
  const existing = lstatOrUndefined(file);
  if (existing !== undefined && !existing.isSymbolicLink()) throw new Error(`${file} exists and is not a symlink; remove it`);
  const temporary = `${file}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  symlinkSync(path.relative(path.dirname(file), path.join(reportsDir, folder)), temporary, 'dir');
  renameSync(temporary, file);
}

function lstatOrUndefined(file: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
