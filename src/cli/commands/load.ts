import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configError } from '../../config/errors.js';
import type { CheckResult } from '../../core/result.js';
import { newRunId, runDirOf } from '../../report/write.js';
import { openTargets, targetFlagsOf, type CommandIO } from '../context.js';
import { parseDurationMs, parseIntegerFlag } from '../duration.js';
import { EXIT_GO, EXIT_NO_GO } from '../exit.js';
import { printVerdict } from '../print.js';
import { createProgress } from '../progress.js';
import { writeSessionReport } from '../session-report.js';

export interface LoadFlags {
  readonly scenario: string;
  readonly durationSeconds: number;
  readonly connections?: number;
  readonly rate?: number;
  readonly capacity: boolean;
  readonly baselineFile?: string;
  readonly abortOnBreach: boolean;
  readonly allowProduction: boolean;
}

const MAX_CONNECTIONS = 10_000;
const MAX_RATE = 1_000_000;

function parseDurationSeconds(value: unknown, max: number): number {
  const text = String(value ?? '10');
  return parseDurationMs(text, '--duration', { min: 1000, max: max * 1000 }) / 1000;
}

/** Validates the load flags; every problem names its flag (exit 2). */
export async function parseLoadFlags(options: Record<string, unknown>): Promise<LoadFlags> {
  const { SCENARIO_NAMES } = await import('../../../load/scenarios/index.js');
  const { MAX_DURATION_SECONDS } = await import('../../../load/run.js');
  const scenario = String(options.scenario ?? 'browse');
  if (!SCENARIO_NAMES.includes(scenario))
    throw configError('--scenario', `"${scenario}" is not a scenario; use one of ${SCENARIO_NAMES.join(', ')}`);
  const rate = options.rate === undefined ? undefined : parseIntegerFlag(String(options.rate), '--rate', { min: 1, max: MAX_RATE });
  // commander fills in the default of 10; it only means something when the user chose it in the open model too.
  const connections =
    options.connections === undefined
      ? undefined
      : parseIntegerFlag(String(options.connections), '--connections', { min: 1, max: MAX_CONNECTIONS });
  const baselineFile = typeof options.baseline === 'string' ? options.baseline : undefined;
  return {
    scenario,
    durationSeconds: parseDurationSeconds(options.duration, MAX_DURATION_SECONDS),
    ...(connections === undefined ? {} : { connections }),
    ...(rate === undefined ? {} : { rate }),
    capacity: options.capacity === true,
    ...(baselineFile === undefined ? {} : { baselineFile }),
    abortOnBreach: options.abortOnBreach === true,
    allowProduction: options.allowProduction === true,
  };
}

async function readBaseline(file: string, cwd: string) {
  const { parseLoadReport } = await import('../../../load/report/baseline.js');
  const resolved = path.resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(resolved, 'utf8');
  } catch {
    throw configError('--baseline', `cannot read ${file}; give the load.json of an earlier run (reports/<run-id>/load.json)`);
  }
  return parseLoadReport(text, '--baseline');
}

export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const flags = await parseLoadFlags(options);
  const baseline = flags.baselineFile === undefined ? undefined : await readBaseline(flags.baselineFile, io.cwd);
  const session = await openTargets(targetFlagsOf(options), io);
  const controller = new AbortController();
  const onSigint = () => {
    io.stderr.write('\nvor-watch: stopping the load (Ctrl-C); writing the partial report…\n');
    controller.abort();
  };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  try {
    if (session.embedded === undefined) {
      for (const target of session.targets) {
        if (target.production && !flags.allowProduction) {
          throw configError(
            '--allow-production',
            `${target.origin} is a production target (by its environment or name, or `production: true`); load testing it needs --allow-production`,
          );
        }
      }
    }
    const { runLoad } = await import('../../../load/run.js');
    const { formatWindowLine } = await import('../../../load/progress.js');
    const progress = createProgress(io);
    const startedAt = new Date();
    const runId = newRunId('load', startedAt);
    const dir = runDirOf(session.config.reportsDir, runId);
    const results: CheckResult[] = [];
    const links: { label: string; href: string }[] = [];
    for (const target of session.targets) {
      const outputDir =
        session.targets.length > 1 ? path.join(dir, `load-${new URL(target.origin).host.replace(/[^a-z0-9.-]/gi, '_')}`) : dir;
      const model = flags.capacity ? 'capacity search' : flags.rate === undefined ? 'closed model' : `open model at ${flags.rate} req/s`;
      progress.phase(`load: ${flags.scenario} on ${target.origin} (${model}, ${flags.durationSeconds} s)`);
      const load = await runLoad({
        target,
        scenario: flags.scenario,
        durationSeconds: flags.durationSeconds,
        ...(flags.connections === undefined ? {} : { connections: flags.connections }),
        ...(flags.rate === undefined ? {} : { rate: flags.rate }),
        capacity: flags.capacity,
        abortOnBreach: flags.abortOnBreach,
        redactor: session.redactor,
        outputDir,
        signal: controller.signal,
        ...(baseline === undefined ? {} : { baseline }),
        onWindow: (window, breaches, label) => io.stderr.write(`${formatWindowLine(window, breaches, label)}\n`),
      });
      progress.results(load.results);
      results.push(...load.results);
      for (const file of load.files) if (file.endsWith('.html')) links.push({ label: 'Load report', href: path.relative(dir, file) });
      if (load.comparison !== undefined && load.comparison.regressions > 0) {
        io.stderr.write(`vor-watch: ${load.comparison.regressions} regression(s) against the baseline (see load.md)\n`);
      }
      if (controller.signal.aborted) break;
    }
    progress.done();
    const { summary, ...written } = await writeSessionReport(session, {
      startedAt,
      results,
      runId,
      artifacts: { links, screenshots: [], traces: [] },
    });
    printVerdict(summary, written.dir, io);
    return summary.verdict === 'pass' ? EXIT_GO : EXIT_NO_GO;
  } finally {
    process.removeListener('SIGINT', onSigint);
    process.removeListener('SIGTERM', onSigint);
    await session.close();
  }
}
