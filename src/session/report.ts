import { loadEnvironment } from '../config/resolve.js';
import type { CheckResult, RunSummary } from '../core/result.js';
import { notifyRun } from '../notify/notify.js';
import type { ReportArtifacts } from '../report/html.js';
import { buildSummary } from '../report/summary.js';
import { newRunId, runDirOf, writeRunReport } from '../report/write.js';
import { exitCodeOf } from './exit-code.js';
import type { Session } from './session.js';

/** One run of a command: its id and folder are known from the start, so browser and load files can go there. */
export interface Run {
  readonly startedAt: Date;
  readonly runId: string;
  readonly dir: string;
  readonly command: string;
  /** verify's --suite. */
  readonly suite?: string;
}

export function beginRun(session: Pick<Session, 'config'>, command: string, startedAt: Date = new Date(), suite?: string): Run {
  const runId = newRunId(command, startedAt);
  return { startedAt, runId, dir: runDirOf(session.config.reportsDir, runId), command, ...(suite === undefined ? {} : { suite }) };
}

/**
 * Every command's last step: each failing result to Sentry, then the run summary over all the
 * session's targets written as the run's report folder (reports folder, retention, checklist
 * attestations from the session); the exit code agrees with the summary's verdict.
 */
export async function finishRun(
  session: Session,
  run: Run,
  results: readonly CheckResult[],
  artifacts?: ReportArtifacts,
): Promise<{ summary: RunSummary; dir: string; exitCode: number }> {
  await reportFailures(session, results);
  const summary = buildSummary({
    target: session.targets.map((t) => t.origin).join(', '),
    startedAt: run.startedAt,
    results,
    command: run.command,
    ...(run.suite === undefined ? {} : { suite: run.suite }),
    // Open manual items block only the launch-day verdict (verify), never a probe, load or gate run.
    checklist: {
      attestations: session.config.attestations,
      requireAttestations: run.command === 'verify' && session.config.requireAttestations,
    },
  });
  const { dir } = await writeRunReport(summary, {
    runId: run.runId,
    reportsDir: session.config.reportsDir,
    keep: session.config.keepReports,
    attestations: session.config.attestations,
    ...(artifacts === undefined ? {} : { artifacts }),
  });
  const env = loadEnvironment(session.io.cwd, session.io.env);
  const undelivered = await notifyRun({ command: run.command, summary, dir, env, redactor: session.redactor });
  if (undelivered !== undefined) session.io.stderr.write(`vor-watch: ${undelivered}\n`);
  return { summary, dir, exitCode: exitCodeOf(summary) };
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
