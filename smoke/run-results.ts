import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CheckId } from '../src/core/catalogue.js';
import { finalizeFindings } from '../src/core/finalize.js';
import type { CheckResult, Finding } from '../src/core/result.js';
import { checksMatching } from './checks.js';
import { discardArtifacts, scrubArtifacts, type DroppedArtifact, type ScrubLimits, type ScrubReport } from './evidence/scrub-artifacts.js';
import type { ChildExit } from './playwright-child.js';
import { SmokeResultsFileSchema, type SmokeResultsFile } from './results-file.js';
import type { SmokeArtifact, SmokeOptions } from './run.js';
import type { TeamPlan } from './team-checks.js';
import { worstOf } from './test-outcome.js';

/** What runSmoke makes of what the Playwright child left: the results file read, turned into records, evidence noted. */

export async function readResults(file: string): Promise<SmokeResultsFile | undefined> {
  if (!existsSync(file)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined; // cut short mid-write (a killed run): reported like a crash, with the reason
  }
  const parsed = SmokeResultsFileSchema.safeParse(json);
  return parsed.success ? (parsed.data as SmokeResultsFile) : undefined;
}

/**
 * Scrubs what the run wrote. When some process of the run could not be ended it could still write after
 * the scrub: then its traces, screenshots, videos and Playwright report are deleted unread instead, and
 * only the results folder (written by the runner, which has exited) is scrubbed and kept.
 */
export async function secureArtifacts(
  exit: Pick<ChildExit, 'allGone'>,
  dirs: { readonly artifacts: readonly string[]; readonly results: string },
  secrets: readonly string[],
  limits: ScrubLimits,
): Promise<ScrubReport> {
  if (exit.allGone !== false) return scrubArtifacts([...dirs.artifacts, dirs.results], secrets, limits);
  const discarded = await discardArtifacts(dirs.artifacts, 'processes_survived');
  const kept = await scrubArtifacts([dirs.results], secrets, limits);
  return {
    files: discarded.files + kept.files,
    rewritten: kept.rewritten,
    removed: [...discarded.removed, ...kept.removed],
    dropped: [...discarded.dropped, ...kept.dropped],
  };
}

/** Every result says when its run's artifacts were deleted because processes of the run survived it. */
export function withSurvivorsNoted(results: CheckResult[], exit: ChildExit): CheckResult[] {
  if (exit.allGone !== false) return results;
  const note = `some processes of the browser run could not be ended (groups ${exit.processGroups?.join(', ') ?? '?'}); its traces, screenshots, videos and Playwright report were deleted, not kept where they could still be written to`;
  return results.map((r) => ({ ...r, evidence: { ...r.evidence, artifactsDeleted: note } }));
}

/** A check whose screenshot or trace was deleted unscrubbed says so in its evidence, so a missing trace is not a mystery. */
export function withDroppedArtifacts(
  results: CheckResult[],
  artifacts: readonly SmokeArtifact[],
  dropped: readonly DroppedArtifact[],
  outputDir: string,
): CheckResult[] {
  if (dropped.length === 0) return results;
  return results.map((result) => {
    const own = artifacts.filter((a) => a.id === result.id).flatMap((a) => [...a.screenshots, ...a.traces]);
    const notes = dropped
      .filter((d) => own.includes(d.file))
      .map((d) => ({ file: path.relative(outputDir, d.file), reason: d.reason, bytes: d.bytes }));
    return notes.length === 0 ? result : { ...result, evidence: { ...result.evidence, droppedArtifacts: notes } };
  });
}

export function finalizeFile(file: SmokeResultsFile, options: SmokeOptions): CheckResult[] {
  return file.selected.flatMap((id) =>
    finalizeFindings({
      declared: [id],
      findings: file.findings.filter((f) => f.id === id),
      target: options.target.origin,
      durationMs: file.durationsMs[id] ?? 0,
      redactor: options.redactor,
    }),
  );
}

/**
 * A run stopped early (budget or interrupt) leaves the results of the tests that finished; those keep them,
 * and every selected check without a result becomes an error saying why.
 */
export function withUnfinished(
  file: SmokeResultsFile,
  options: SmokeOptions,
  exit: ChildExit,
  expected: readonly CheckId[] = checksMatching(options.grep),
): SmokeResultsFile {
  const finished = new Set(file.findings.map((f) => f.id));
  const selected = [...new Set([...file.selected, ...expected])];
  const budgetS = Math.round((options.timeoutMs ?? 180_000) / 1000);
  const unfinished: Finding[] = selected
    .filter((id) => !finished.has(id))
    .map((id) => ({
      id,
      status: 'error',
      reason: exit.interrupted ? 'interrupted' : 'budget_exceeded',
      message: exit.interrupted
        ? `${id} not evaluated on ${options.target.origin}: the run was interrupted (SIGINT/SIGTERM) before it finished`
        : exit.overLimit !== undefined
          ? `${id} not evaluated on ${options.target.origin}: ${exit.overLimit}; it was stopped before it finished`
          : `${id} not evaluated on ${options.target.origin}: the browser run's budget of ${budgetS} s ran out before it finished (smoke.budgetMs in the config)`,
      evidence: {},
    }));
  return { ...file, selected, findings: [...file.findings, ...unfinished] };
}

/** Playwright died or was killed before its reporter wrote: every selected check is an error, saying why. */
export function crashResults(
  options: SmokeOptions,
  exit: ChildExit,
  durationMs: number,
  expected: readonly CheckId[],
  known: readonly Finding[] = [],
): CheckResult[] {
  const ids = [...new Set([...expected, ...known.map((f) => f.id)])];
  const why = exit.interrupted
    ? 'the run was interrupted (SIGINT/SIGTERM) before the browser checks finished'
    : exit.overLimit !== undefined
      ? `${exit.overLimit}; it was stopped before reporting`
      : exit.timedOut
        ? `the Playwright run was stopped after ${Math.round((options.timeoutMs ?? 180_000) / 1000)} s`
        : `Playwright exited with code ${exit.code ?? 'null'} before reporting`;
  const tail = exit.output.trim().split('\n').slice(-8).join('\n');
  const findings: Finding[] = ids.map(
    (id) =>
      known.find((f) => f.id === id) ?? {
        id,
        status: 'error',
        reason: exit.interrupted ? 'interrupted' : exit.timedOut || exit.overLimit !== undefined ? 'budget_exceeded' : 'runner_crashed',
        message: `${id} not evaluated on ${options.target.origin}: ${why}`,
        evidence: { output: tail },
      },
  );
  return finalizeFindings({ declared: ids, findings, target: options.target.origin, durationMs, redactor: options.redactor });
}

/** The ids a run answers for: the built-in ones its --grep selects (less those the team replaced) and the team's. */
export function expectedIds(grep: string | undefined, plan: TeamPlan | undefined): CheckId[] {
  const replaced = new Set<string>(plan?.replaced ?? []);
  const pattern = grep === undefined || grep === '' ? undefined : new RegExp(grep);
  const team = (plan?.ids ?? []).filter((e) => pattern === undefined || pattern.test(`${e.id} ${e.grepText}`)).map((e) => e.id);
  return [...new Set([...checksMatching(grep).filter((id) => !replaced.has(id)), ...team])];
}

/** Errors found before the run (spec files that do not load, tests that declare no check) join the run's findings; the worst per id speaks. */
export function withTeamFindings(file: SmokeResultsFile, findings: readonly Finding[]): SmokeResultsFile {
  if (findings.length === 0) return file;
  const all = [...findings, ...file.findings];
  const ids = [...new Set([...file.selected, ...findings.map((f) => f.id)])];
  return { ...file, selected: ids, findings: ids.flatMap((id) => worstOf(all.filter((f) => f.id === id)) ?? []) };
}

/** A custom id's record keeps its declared severity and checklist items whatever became of its test (unfinished, crashed run). */
export function withDeclarations(results: readonly CheckResult[], plan: TeamPlan | undefined): CheckResult[] {
  const declared = new Map((plan?.ids ?? []).flatMap((e) => (e.severity === undefined ? [] : [[e.id, e] as const])));
  return results.map((r) => {
    const own = declared.get(r.id);
    return own?.severity === undefined ? r : { ...r, severity: own.severity, checklist: [...(own.checklist ?? [])] };
  });
}
