import type { CheckResult, RunSummary } from '../core/result.js';
import { buildSummary } from '../report/summary.js';
import { writeRunReport, type WriteReportOptions } from '../report/write.js';
import type { TargetSession } from './context.js';

export interface SessionRun extends Pick<WriteReportOptions, 'runId' | 'command' | 'artifacts' | 'extras'> {
  readonly startedAt: Date;
  readonly results: readonly CheckResult[];
}

/**
 * Every command's last step: the run summary over all its targets, written as its report folder
 * with the session's settings (reports folder, retention, checklist attestations).
 */
export async function writeSessionReport(
  session: Pick<TargetSession, 'config' | 'targets'>,
  run: SessionRun,
): Promise<{ summary: RunSummary; dir: string; runId: string }> {
  const { startedAt, results, ...write } = run;
  const summary = buildSummary({ target: session.targets.map((t) => t.origin).join(', '), startedAt, results });
  const { dir, runId } = await writeRunReport(summary, {
    ...write,
    reportsDir: session.config.reportsDir,
    keep: session.config.keepReports,
    attestations: session.config.attestations,
  });
  return { summary, dir, runId };
}
