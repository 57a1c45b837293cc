import path from 'node:path';
import { configError } from '../../config/errors.js';
import type { CheckResult } from '../../core/result.js';
import type { ReportArtifacts } from '../../report/html.js';
import { newRunId, runDirOf } from '../../report/write.js';
import { openTargets, targetFlagsOf, type CommandIO } from '../context.js';
import { EXIT_GO, EXIT_NO_GO } from '../exit.js';
import { printResultsTable, printVerdict } from '../print.js';
import { writeSessionReport } from '../session-report.js';

const hostDir = (origin: string): string => `smoke-${new URL(origin).host.replace(/[^a-z0-9.-]/gi, '_')}`;

/** `vor-watch smoke`: the Playwright flows and browser checks only, one report under reports/<run-id>/. */
export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const grep = typeof options.grep === 'string' ? options.grep : undefined;
  if (grep !== undefined) {
    try {
      new RegExp(grep);
    } catch {
      throw configError('--grep', `"${grep}" is not a valid pattern; use a tag such as @critical, @compliance, @perf, @flow, @browser`);
    }
  }
  const session = await openTargets(targetFlagsOf(options), io);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const startedAt = new Date();
    const runId = newRunId('smoke', startedAt);
    const dir = runDirOf(session.config.reportsDir, runId);
    const { runSmoke } = await import('../../../smoke/run.js');
    const results: CheckResult[] = [];
    const artifacts: {
      links: ReportArtifacts['links'][number][];
      screenshots: ReportArtifacts['screenshots'][number][];
      traces: ReportArtifacts['traces'][number][];
    } = {
      links: [],
      screenshots: [],
      traces: [],
    };
    for (const target of session.targets) {
      const outputDir = session.targets.length > 1 ? path.join(dir, hostDir(target.origin)) : dir;
      const smoke = await runSmoke({
        target,
        budgets: session.config.budgets,
        ...(grep === undefined ? {} : { grep }),
        outputDir,
        redactor: session.redactor,
        env: io.env,
        signal: controller.signal,
        onOutput: (text) => io.stderr.write(text),
      });
      results.push(...smoke.results);
      artifacts.links.push({
        label: `Playwright report (${target.origin})`,
        href: `${path.relative(dir, smoke.playwrightReportDir)}/index.html`,
      });
      for (const artifact of smoke.artifacts) {
        for (const shot of artifact.screenshots) artifacts.screenshots.push({ id: artifact.id, path: shot });
        for (const trace of artifact.traces) artifacts.traces.push({ id: artifact.id, href: path.relative(dir, trace) });
      }
    }
    if (results.length === 0) {
      throw configError('--grep', `"${grep ?? ''}" selects no test; tags are @critical, @compliance, @perf, @flow, @browser`);
    }
    printResultsTable(results, io);
    const { summary } = await writeSessionReport(session, { startedAt, results, runId, artifacts });
    printVerdict(summary, dir, io);
    return summary.verdict === 'pass' ? EXIT_GO : EXIT_NO_GO;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await session.close();
  }
}
