import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadEnvironment } from '../config/resolve.js';
import type { CheckResult, RunSummary } from '../core/result.js';
import { overrideNotes, withConfigOverrides } from '../custom/overrides.js';
import { notifyRun } from '../notify/notify.js';
import type { ReportArtifacts } from '../report/html.js';
import { buildSummary } from '../report/summary.js';
import { reportToGithub } from '../terminal/github.js';
import { createRunFolder, newRunId, writeRunReport } from '../report/write.js';
import { exitCodeOf } from './exit-code.js';
import type { Session } from './session.js';

/** One run of a command: its id and folder are known from the start, so browser and load files can go there. */
export interface Run {
  readonly startedAt: Date;
  readonly runId: string;
  readonly dir: string;
  readonly command: string;
  /** What the command selected (verify's --suite, probe's --check globs, smoke's --grep, load's scenario). */
  readonly suite?: string;
  /** --keep: retention never deletes this run. */
  readonly kept?: boolean;
  /** Why the run folder is a temporary one instead of <reportsDir>/<run-id> (the reports folder is unusable). */
  readonly reportsProblem?: string;
}

/**
 * The run's folder is made at once, so browser and load files have somewhere to go; when the
 * reports folder cannot hold it (a file, read-only, full), a temporary folder takes its place and
 * the run goes on: its verdict never depends on where the report can be written.
 */
export function beginRun(
  session: Pick<Session, 'config'>,
  command: string,
  startedAt: Date = new Date(),
  suite?: string,
  kept = false,
): Run {
  const run = { startedAt, command, ...(suite === undefined ? {} : { suite }), ...(kept ? { kept } : {}) };
  try {
    // Exclusively: a run starting in the same millisecond as another gets its own folder and id.
    return { ...run, ...createRunFolder(session.config.reportsDir, command, startedAt) };
  } catch (error) {
    const runId = newRunId(command, startedAt);
    return { ...run, runId, dir: temporaryRunDir(runId), reportsProblem: (error as Error).message };
  }
}

const temporaryRunDir = (runId: string): string => mkdtempSync(path.join(tmpdir(), `vor-watch-${runId}-`));

/**
 * Every command's last step: each failing result to Sentry, then the run summary over all the
 * session's targets written as the run's report folder (reports folder, retention, checklist
 * attestations from the session); the exit code agrees with the summary's verdict.
 */
export async function finishRun(
  session: Session,
  run: Run,
  found: readonly CheckResult[],
  artifacts?: ReportArtifacts,
): Promise<{ summary: RunSummary; dir: string; exitCode: number }> {
  // Probe records have their overrides already; browser and load records get theirs here.
  const results = withConfigOverrides(found, session.targets);
  const overrides = session.targets.flatMap((t) => overrideNotes(t, session.config));
  // A custom id is known only once its checks ran (a team spec declares it), so a misspelt one is caught here, not at config time.
  const ran = new Set(results.map((r) => `${r.target} ${r.id}`));
  for (const o of overrides) {
    session.io.stderr.write(`vor-watch: override: ${o.check} on ${o.targetName}: ${o.change} (${o.source})\n`);
    if (o.check.startsWith('custom.') && !ran.has(`${o.target} ${o.check}`))
      session.io.stderr.write(
        `vor-watch: override: no check ${o.check} ran on ${o.targetName} in this run; is the id spelt as in checks.http or in a spec's check()? (${o.source})\n`,
      );
  }
  await reportFailures(session, results);
  const summary = buildSummary({
    target: session.targets.map((t) => t.origin).join(', '),
    startedAt: run.startedAt,
    results,
    overrides,
    command: run.command,
    ...(run.suite === undefined ? {} : { suite: run.suite }),
    // Open manual items block only the launch-day verdict (verify), never a probe, load or gate run.
    checklist: {
      attestations: session.config.attestations,
      requireAttestations: run.command === 'verify' && session.config.requireAttestations,
    },
  });
  const dir = await writeReport(session, run, summary, artifacts);
  const env = loadEnvironment(session.io.cwd, session.io.env);
  const undelivered = await notifyRun({
    command: run.command,
    summary,
    dir,
    reportsDir: session.config.reportsDir,
    env,
    redactor: session.redactor,
  });
  if (undelivered !== undefined) session.io.stderr.write(`vor-watch: ${undelivered}\n`);
  await reportToGithub({ summary, dir, redactor: session.redactor }, env, session.io.stderr, session.io.cwd);
  return { summary, dir, exitCode: exitCodeOf(summary) };
}

/**
 * Writes the run's report folder; trouble with the reports folder (VOR_REPORTS_DIR) is a warning
 * on stderr, never the run's outcome. When the folder cannot be written there, the report goes to
 * a temporary folder and the warning says where.
 */
async function writeReport(session: Session, run: Run, summary: RunSummary, artifacts: ReportArtifacts | undefined): Promise<string> {
  const { reportsDir } = session.config;
  const options = {
    runId: run.runId,
    reportsDir,
    command: run.command,
    ...(run.suite === undefined ? {} : { suite: run.suite }),
    kept: run.kept === true,
    targetNames: Object.fromEntries(session.targets.map((t) => [t.origin, t.name])),
    keep: session.config.keepReports,
    attestations: session.config.attestations,
    ...(artifacts === undefined ? {} : { artifacts }),
  };
  const warn = (text: string) => session.io.stderr.write(`vor-watch: ${session.redactor.string(text)}\n`);
  let problem = run.reportsProblem;
  if (problem === undefined) {
    try {
      const written = await writeRunReport(summary, options);
      for (const warning of written.warnings) warn(`report: ${warning}`);
      return written.dir;
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  const elsewhere = run.reportsProblem === undefined ? temporaryRunDirOrUndefined(run.runId) : run.dir;
  const written =
    elsewhere === undefined ? undefined : await writeRunReport(summary, { ...options, runDir: elsewhere }).catch(() => undefined);
  warn(
    `the report could not be written (VOR_REPORTS_DIR ${reportsDir}: ${problem}); the verdict stands; ${
      written === undefined ? 'no report was written' : `this run's report is in ${written.dir}`
    }`,
  );
  return written?.dir ?? run.dir;
}

function temporaryRunDirOrUndefined(runId: string): string | undefined {
  try {
    return temporaryRunDir(runId);
  } catch {
    return undefined;
  }
}

/** One Sentry event per failing result (contract.md, "Error tracking"); nothing without SENTRY_DSN. */
async function reportFailures(session: Session, results: readonly CheckResult[]): Promise<void> {
  const reporter = await session.sentry();
  if (reporter === undefined) return;
  for (const target of session.targets) {
    for (const result of results) if (result.target === target.origin) reporter.captureResult(target, result);
  }
  if (!(await reporter.flush(5_000))) session.io.stderr.write('vor-watch: some Sentry events could not be delivered within 5 s\n');
}
