import { configError } from '../../config/errors.js';
import { CATALOGUE, type CheckId } from '../../core/catalogue.js';
import type { CheckResult } from '../../core/result.js';
import { selectChecks } from '../../core/runner.js';
import { renderSummaryJson } from '../../report/summary.js';
import type { CommandIO } from '../../session/io.js';
import { withSession } from '../../session/lifecycle.js';
import { printResultsTable, printVerdict } from '../../session/print.js';
import { PROBE_CHECK_IDS, probeTarget } from '../../session/probe-set.js';
import { beginRun, finishRun } from '../../session/report.js';
import { targetFlagsOf } from '../target-flags.js';

const isCustomGlob = (glob: string): boolean => glob.startsWith('custom.');

/**
 * Each --check glob must select something; a typo should not silently run nothing. Globs over the
 * config's custom.* ids are checked once the config is read (the ids are the targets' own).
 */
export function validateCheckGlobs(globs: readonly string[], customIds?: readonly CheckId[]): void {
  const ids = [...PROBE_CHECK_IDS, ...(customIds ?? [])];
  const areas = [...new Set(ids.map((id) => `${id.split('.')[0]}.*`))];
  for (const glob of globs) {
    if (glob.trim() === '') throw configError('--check', 'is empty; give a check id or glob such as "headers.*"');
    if (customIds === undefined && isCustomGlob(glob)) continue;
    if (selectChecks(ids, [glob]).length === 0) {
      const known = glob in CATALOGUE ? ` (${glob} is a browser or load check; run it with vor-watch verify or smoke)` : '';
      throw configError(
        '--check',
        `"${glob}" matches no probe check${known}. Valid areas: ${areas.join(', ')}. Valid ids: ${ids.join(', ')}`,
      );
    }
  }
}

/** `vor-watch probe`: the HTTP-level probes only; a table, or the contract JSON with --json. */
export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const checkGlobs = Array.isArray(options.check) ? options.check.filter((g): g is string => typeof g === 'string') : [];
  validateCheckGlobs(checkGlobs);
  const json = options.json === true;
  return withSession(targetFlagsOf(options), io, async (session, signal) => {
    validateCheckGlobs(
      checkGlobs.filter(isCustomGlob),
      session.targets.flatMap((t) => t.checkSettings.http.map((c) => c.id)),
    );
    const run = beginRun(session, 'probe', new Date(), [...checkGlobs].sort().join(' ') || undefined, options.keep === true);
    const results: CheckResult[] = [];
    for (const target of session.targets) {
      // Progress goes to stderr so that `--json` keeps stdout pure JSON.
      io.stderr.write(`[vor-watch] probing ${target.origin}\n`);
      results.push(...(await probeTarget(session, target, { checkGlobs, signal })));
    }
    const { summary, dir, exitCode } = await finishRun(session, run, results);
    if (json) {
      io.stdout.write(renderSummaryJson(summary));
      printVerdict(summary, dir, io, io.stderr);
    } else {
      printResultsTable(results, io);
      printVerdict(summary, dir, io);
    }
    return exitCode;
  });
}
