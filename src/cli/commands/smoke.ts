import { checksDirFlag } from '../../config/checks-dir.js';
import { configError } from '../../config/errors.js';
import type { CheckResult } from '../../core/result.js';
import { collectArtifacts } from '../../session/artifacts.js';
import type { CommandIO } from '../../session/io.js';
import { withSession } from '../../session/lifecycle.js';
import { printResultsTable, printVerdict } from '../../session/print.js';
import { createProgress } from '../../session/progress.js';
import { beginRun, finishRun } from '../../session/report.js';
import { smokeTarget } from '../../session/smoke.js';
import { targetFlagsOf } from '../target-flags.js';

const TAGS = '@critical, @compliance, @perf, @flow, @browser';

/** `vor-watch smoke`: the Playwright flows and browser checks only, one report under reports/<run-id>/. */
export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const grep = typeof options.grep === 'string' ? options.grep : undefined;
  if (grep !== undefined) {
    try {
      new RegExp(grep);
    } catch {
      throw configError('--grep', `"${grep}" is not a valid pattern; use a tag such as ${TAGS}`);
    }
  }
  const checksDir = checksDirFlag(options, io.cwd);
  return withSession(targetFlagsOf(options), io, async (opened, signal) => {
    const session = checksDir === undefined ? opened : { ...opened, config: { ...opened.config, checksDir } };
    const run = beginRun(session, 'smoke', new Date(), grep, options.keep === true);
    const artifacts = collectArtifacts();
    const results: CheckResult[] = [];
    const progress = createProgress(io);
    for (const target of session.targets) {
      progress.phase(`browser flows and checks on ${target.origin}`);
      results.push(
        ...(await smokeTarget(session, target, {
          runDir: run.dir,
          ...(grep === undefined ? {} : { grep }),
          signal,
          reportLabel: `Playwright report (${target.origin})`,
          artifacts,
          // Each test is one progress line as it finishes; Playwright's own lines stay in its report.
          onOutput: (text) => text.startsWith('vor-watch:') && io.stderr.write(text),
          onTest: (event) => progress.test(event),
        })),
      );
    }
    progress.done();
    if (results.length === 0) throw configError('--grep', `"${grep ?? ''}" selects no test; tags are ${TAGS}`);
    printResultsTable(results, io);
    const { summary, dir, exitCode } = await finishRun(session, run, results, artifacts);
    printVerdict(summary, dir, io);
    return exitCode;
  });
}
