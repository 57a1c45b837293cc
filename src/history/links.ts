import { lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { startOfRunFolder } from './retention.js';
import type { RunRecord } from './store.js';

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

/**
 * The links a finished run points at itself (contract.md, "Reports": every run points
 * reports/latest at itself): `latest`, `latest-<command>` (the last run of that command: QA opens
 * `latest-verify`), and the same two per target under targets/<target>/.
 */
export function linksFor(run: Pick<RunRecord, 'command' | 'target'>): string[] {
  const perTarget = path.join(TARGETS_DIR, targetSlug(run.target));
  const own = [LATEST, `${LATEST}-${run.command}`];
  return [...own, ...own.map((link) => path.join(perTarget, link))];
}

/**
 * Points each of the run's links at its folder; a link that cannot move is a warning. Under
 * targets/<target>/, the runs the report links to (`../<run-id>/index.html`) get a link there too,
 * so those links work when the page is opened through targets/<target>/latest.
 */
export function pointRunLinks(
  reportsDir: string,
  run: Pick<RunRecord, 'command' | 'target' | 'folder'>,
): { links: string[]; warnings: string[] } {
  const links: string[] = [];
  const warnings: string[] = [];
  for (const link of linksFor(run)) {
    try {
      pointLink(reportsDir, link, run.folder);
      links.push(link);
    } catch (error) {
      warnings.push(`${link} was not updated: ${(error as Error).message}`);
    }
  }
  try {
    linkReferencedRuns(reportsDir, path.join(TARGETS_DIR, targetSlug(run.target)));
  } catch (error) {
    warnings.push(`the run links under ${TARGETS_DIR}/ were not updated: ${(error as Error).message}`);
  }
  return { links, warnings };
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

/** Run folders a report links to as ../<run-id>/ (the previous run, the launch-day timeline's last runs). */
export function runsLinkedFrom(runDir: string): Set<string> {
  let html: string;
  try {
    html = readFileSync(path.join(runDir, 'index.html'), 'utf8');
  } catch {
    return new Set();
  }
  return new Set([...html.matchAll(/href="\.\.\/([^/"]+)\/index\.html"/g)].map((m) => m[1] ?? '').filter(isRunFolderName));
}

const isRunFolderName = (name: string): boolean => startOfRunFolder(name) !== undefined;

/**
 * A page opened through <dir>/latest resolves ../<run-id>/ against <dir>: each run the pages of
 * <dir>'s links refer to gets a link <dir>/<run-id> to its folder; run links nothing refers to
 * any more go.
 */
function linkReferencedRuns(reportsDir: string, dir: string): void {
  const absolute = path.join(reportsDir, dir);
  const names = readdirSync(absolute);
  const wanted = new Set<string>();
  for (const name of names) {
    if (name === LATEST || name.startsWith(`${LATEST}-`)) for (const id of runsLinkedFrom(path.join(absolute, name))) wanted.add(id);
  }
  for (const name of names) {
    if (isRunFolderName(name) && !wanted.has(name) && lstatOrUndefined(path.join(absolute, name))?.isSymbolicLink() === true) {
      rmSync(path.join(absolute, name), { force: true });
    }
  }
  for (const id of wanted) pointLink(reportsDir, path.join(dir, id), id);
}

function lstatOrUndefined(file: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
