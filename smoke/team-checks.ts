import path from 'node:path';
import type { Project } from '@playwright/test';
import { isCustomCheckId, type CheckId } from '../src/core/catalogue.js';
import { SEVERITIES, type Finding, type Severity } from '../src/core/result.js';
import { CHECKLIST_ANNOTATION, SEVERITY_ANNOTATION } from './check-declaration.js';
import { CHECK_ANNOTATION, isSmokeCheckId, SMOKE_CHECK_IDS, type SmokeCheckId } from './checks.js';
import type { ListedError, ListedTest, Listing } from './list-reporter.js';
import type { SmokeRun } from './run-config.js';

/** The Playwright project of the team's own specs (`checks.dir` / `--checks`). */
export const TEAM_PROJECT = 'checks';

/** What a test declares about its check (check() in vor-watch/smoke). */
export interface Declaration {
  readonly id: SmokeCheckId | `custom.${string}`;
  readonly severity?: Severity;
  readonly checklist: readonly string[];
}

type Annotations = readonly { readonly type: string; readonly description?: string }[];

/** The test's declaration, or why it has none that vor-watch can use. */
export function declarationOf(annotations: Annotations): Declaration | { readonly problem: string } {
  const id = annotations.find((a) => a.type === CHECK_ANNOTATION)?.description;
  if (id === undefined) return { problem: "declares no check: give it check('custom.<name>', { severity }) or check('<built-in id>')" };
  if (isSmokeCheckId(id)) return { id, checklist: [] };
  if (!isCustomCheckId(id)) return { problem: `declares "${id}", which is neither a browser check of checks.md nor custom.<name>` };
  const severity = annotations.find((a) => a.type === SEVERITY_ANNOTATION)?.description as Severity | undefined;
  if (severity === undefined || !SEVERITIES.includes(severity)) return { problem: `${id} declares no severity (${SEVERITIES.join(', ')})` };
  const checklist = annotations.filter((a) => a.type === CHECKLIST_ANNOTATION).flatMap((a) => a.description ?? []);
  return { id, severity, checklist };
}

/** A file's own id when none of its checks can be named (it does not load, or a test declares nothing). */
export function fileCheckId(file: string): `custom.${string}` {
  const stem = path
    .basename(file)
    .replace(/\.(spec|test)\.[cm]?[jt]sx?$/, '')
    .replace(/\.[cm]?[jt]sx?$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '_')
    .replace(/^[^a-z0-9]+/, '');
  return `custom.${stem === '' ? 'spec' : stem}`;
}

/** "checks/balance.spec.ts:12": a spec's place as the team knows it (relative to the folder's parent). */
export const placeOf = (dir: string, file: string, line?: number): string =>
  `${path.relative(path.dirname(path.resolve(dir)), file)}${line === undefined ? '' : `:${line}`}`;

const SPEC_FILE = /\.(spec|test)\.[cm]?[jt]sx?$/;

/** The spec file of the folder a load error comes from: its location, else the first spec frame of its stack. */
export function specFileOf(dir: string, error: ListedError): { file: string; line?: number } | undefined {
  const root = path.resolve(dir) + path.sep;
  const inFolder = (file: string) => file.startsWith(root) && SPEC_FILE.test(file);
  if (error.file !== undefined && inFolder(error.file))
    return { file: error.file, ...(error.line === undefined ? {} : { line: error.line }) };
  for (const match of `${error.stack ?? ''}\n${error.message}`.matchAll(/(\/[^\s():'"]+):(\d+)/g)) {
    const file = match[1]!;
    if (inFolder(file)) return { file, line: Number(match[2]) };
  }
  return undefined;
}

/** The ids a spec file that does not load declares, read from its text (check('<id>'…)). */
export function idsInSource(source: string): CheckId[] {
  const ids = [...source.matchAll(/check\(\s*['"`]([a-z0-9_.-]+)['"`]/g)].map((m) => m[1]!);
  return [...new Set(ids.filter((id) => isSmokeCheckId(id) || isCustomCheckId(id)))] as CheckId[];
}

/** What the run does with the team's folder, decided from its listing before any browser starts. */
export interface TeamPlan {
  /** Spec files that do not load: left out of the run, their ids reported as errors. */
  readonly ignore: readonly string[];
  /** Built-in checks the team's specs answer for: the built-in tests are not run. */
  readonly replaced: readonly SmokeCheckId[];
  /** Every id the team's tests answer for, with the text a --grep is matched against and what a custom id declares. */
  readonly ids: readonly {
    readonly id: CheckId;
    readonly grepText: string;
    readonly severity?: Severity;
    readonly checklist?: readonly string[];
  }[];
  /** Errors found before the run: files that do not load, tests that declare no check. */
  readonly findings: readonly Finding[];
}

export interface BrokenFile {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
  readonly source: string;
}

const firstLine = (text: string): string => (text.trim().split('\n')[0] ?? '').slice(0, 300);

/** The plan from the final listing (of the files that load) and the files that did not. */
export function planTeamChecks(dir: string, listing: Pick<Listing, 'tests'>, broken: readonly BrokenFile[]): TeamPlan {
  const findings: Finding[] = [];
  const ids = new Map<CheckId, { grepText: string; severity?: Severity; checklist?: readonly string[] }>();
  const replaced = new Set<SmokeCheckId>();
  const noteId = (id: CheckId, grepText: string, declared?: Declaration) => {
    const known = ids.get(id);
    ids.set(id, {
      ...known,
      ...(declared?.severity === undefined ? {} : { severity: declared.severity, checklist: declared.checklist }),
      grepText: `${known?.grepText ?? ''} ${grepText}`.trim(),
    });
    if (isSmokeCheckId(id)) replaced.add(id);
  };
  for (const test of listing.tests) {
    const declared = declarationOf(test.annotations);
    const where = placeOf(dir, test.file, test.line);
    if ('problem' in declared) {
      findings.push(unmappedFinding(fileCheckId(test.file), where, test));
      continue;
    }
    noteId(declared.id, `${test.title} ${test.tags.join(' ')}`, declared);
  }
  for (const file of broken) {
    const where = placeOf(dir, file.file, file.line);
    const declared = idsInSource(file.source);
    for (const id of declared.length === 0 ? [fileCheckId(file.file)] : declared) {
      noteId(id, id);
      findings.push({
        id,
        status: 'error',
        reason: 'spec_load_failed',
        message: `${where}: the spec file does not load, so ${id} was not run: ${firstLine(file.message.replace(`${file.file}: `, ''))}`,
        evidence: {
          file: placeOf(dir, file.file),
          ...(file.line === undefined ? {} : { line: file.line }),
          error: firstLine(file.message),
        },
      });
    }
  }
  return {
    ignore: broken.map((b) => b.file),
    replaced: [...replaced],
    ids: [...ids].map(([id, entry]) => ({ id, ...entry })),
    findings,
  };
}

function unmappedFinding(id: CheckId, where: string, test: ListedTest): Finding {
  const declared = declarationOf(test.annotations);
  const problem = 'problem' in declared ? declared.problem : '';
  return {
    id,
    status: 'error',
    reason: 'unmapped_test',
    message: `${where}: test "${test.title}" ${problem}; it was not run`,
    evidence: { test: test.title, file: where },
  };
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A test's grep text ends with its tags; `@<id>` tags name the built-in check it answers for. */
const tagPattern = (tags: readonly string[]): RegExp => new RegExp(`(?:^| )@(?:${tags.map(escape).join('|')})(?: |$)`);

/**
 * The projects of a run: the built-in ones without the tests the team replaced, and the team's folder
 * without the files that do not load and the tests that declare no check. Used by playwright.config.ts.
 */
export function withTeamChecks(run: SmokeRun, builtIn: readonly Project[]): { tsconfig?: string; projects: Project[] } {
  const team = run.teamChecks;
  if (team === undefined) return { projects: [...builtIn] };
  const replaced = team.replaced.length === 0 ? {} : { grepInvert: tagPattern(team.replaced) };
  return {
    tsconfig: team.tsconfig,
    projects: [
      ...builtIn.map((project) => ({ ...project, ...replaced })),
      {
        name: TEAM_PROJECT,
        testDir: team.dir,
        testMatch: SPEC_FILE,
        testIgnore: [/[\\/]node_modules[\\/]/, ...team.ignore.map((file) => new RegExp(`^${escape(file)}$`))],
        // A test with neither @custom nor a built-in id's tag declares no check: it is reported, not run.
        ...(team.listing ? {} : { grepInvert: new RegExp(`^(?!.*(?:^| )@(?:custom|${SMOKE_CHECK_IDS.map(escape).join('|')})(?: |$))`) }),
      },
    ],
  };
}
