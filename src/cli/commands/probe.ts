import { configError } from '../../config/errors.js';
import { CATALOGUE, type CheckId } from '../../core/catalogue.js';
import { selectChecks } from '../../core/runner.js';
import type { CheckResult } from '../../core/result.js';
import { renderSummaryJson } from '../../report/summary.js';
import { openTargets, targetFlagsOf, type CommandIO, type TargetSession } from '../context.js';
import { withInterruptSignal } from '../interrupt.js';
import { reportRunToSentry } from '../../sentry/report-run.js';
import { probeTarget } from '../probe-target.js';
import { writeSessionReport } from '../session-report.js';
import { EXIT_GO, EXIT_NO_GO } from '../exit.js';
import { printResultsTable, printVerdict } from '../print.js';
import { PROBES } from '../../../probes/index.js';

/** Every check id the probe registry answers for. */
export const PROBE_CHECK_IDS: readonly CheckId[] = [...PROBES.flatMap((p) => p.checks), 'monitoring.error_tracking'];

/** Each --check glob must select something; a typo should not silently run nothing. */
export function validateCheckGlobs(globs: readonly string[]): void {
  const areas = [...new Set(PROBE_CHECK_IDS.map((id) => `${id.split('.')[0]}.*`))];
  for (const glob of globs) {
    if (selectChecks(PROBE_CHECK_IDS, [glob]).length === 0) {
      const known = glob in CATALOGUE ? ` (${glob} is a browser or load check; run it with vor-watch verify or smoke)` : '';
      throw configError(
        '--check',
        `"${glob}" matches no probe check${known}. Valid areas: ${areas.join(', ')}. Valid ids: ${PROBE_CHECK_IDS.join(', ')}`,
      );
    }
  }
}

export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const checkGlobs = Array.isArray(options.check) ? options.check.filter((g): g is string => typeof g === 'string') : [];
  validateCheckGlobs(checkGlobs);
  const json = options.json === true;
  const session = await openTargets(targetFlagsOf(options), io);
  try {
    return await withInterruptSignal((signal) => probeAll(session, checkGlobs, json, io, signal));
  } finally {
    await session.close();
  }
}

async function probeAll(
  session: TargetSession,
  checkGlobs: readonly string[],
  json: boolean,
  io: CommandIO,
  signal: AbortSignal,
): Promise<number> {
  {
    const startedAt = new Date();
    const results: CheckResult[] = [];
    for (const target of session.targets) {
      // Progress goes to stderr so that `--json` keeps stdout pure JSON.
      io.stderr.write(`[vor-watch] probing ${target.origin}\n`);
      results.push(...(await probeTarget(session, target, { checkGlobs, signal })));
    }
    await reportRunToSentry(session, results, io);
    const { summary, dir } = await writeSessionReport(session, { startedAt, results, command: 'probe' });
    if (json) {
      io.stdout.write(renderSummaryJson(summary));
      printVerdict(summary, dir, io, io.stderr);
    } else {
      printResultsTable(results, io);
      printVerdict(summary, dir, io);
    }
    return summary.verdict === 'pass' ? EXIT_GO : EXIT_NO_GO;
  }
}
