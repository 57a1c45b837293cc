import { readFileSync } from 'node:fs';
import path from 'node:path';
import { configError } from '../../config/errors.js';
import type { CheckResult } from '../../core/result.js';
import { addLoadReport, collectArtifacts } from '../../session/artifacts.js';
import { targetFolder } from '../../session/folders.js';
import type { CommandIO } from '../../session/io.js';
import { withSession } from '../../session/lifecycle.js';
import { printVerdict } from '../../session/print.js';
import { createProgress } from '../../session/progress.js';
import { beginRun, finishRun } from '../../session/report.js';
import type { Session } from '../../session/session.js';
import { parseDurationMs, parseIntegerFlag } from '../duration.js';
import { targetFlagsOf } from '../target-flags.js';

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
  if (baselineFile?.trim() === '')
    throw configError('--baseline', 'is empty; give the load.json of an earlier run (reports/<run-id>/load.json)');
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
  const onInterrupt = () => io.stderr.write('\nvor-watch: stopping the load (Ctrl-C); writing the partial report…\n');
  return withSession(
    targetFlagsOf(options),
    io,
    async (session, signal) => {
      refuseProduction(session, flags);
      const { runLoad } = await import('../../../load/run.js');
      const { createLoadProgress } = await import('../../../load/progress.js');
      const progress = createProgress(io);
      const run = beginRun(session, 'load', new Date(), flags.scenario, options.keep === true);
      const results: CheckResult[] = [];
      const artifacts = collectArtifacts();
      for (const target of session.targets) {
        const model = flags.capacity ? 'capacity search' : flags.rate === undefined ? 'closed model' : `open model at ${flags.rate} req/s`;
        progress.phase(`load: ${flags.scenario} on ${target.origin} (${model}, ${flags.durationSeconds} s)`);
        const windowLine = createLoadProgress(flags.durationSeconds);
        const load = await runLoad({
          target,
          scenario: flags.scenario,
          durationSeconds: flags.durationSeconds,
          ...(flags.connections === undefined ? {} : { connections: flags.connections }),
          ...(flags.rate === undefined ? {} : { rate: flags.rate }),
          capacity: flags.capacity,
          abortOnBreach: flags.abortOnBreach,
          redactor: session.redactor,
          outputDir: targetFolder(run.dir, 'load', target, session.targets.length),
          signal,
          ...(baseline === undefined ? {} : { baseline }),
          onWindow: (window, breaches, label) => progress.note(windowLine(window, breaches, label)),
        });
        progress.results(load.results);
        results.push(...load.results);
        addLoadReport(artifacts, run.dir, load.files);
        if (load.comparison !== undefined && load.comparison.regressions > 0) {
          io.stderr.write(`vor-watch: ${load.comparison.regressions} regression(s) against the baseline (see load.md)\n`);
        }
        if (signal.aborted) break;
      }
      progress.done();
      const { summary, dir, exitCode } = await finishRun(session, run, results, artifacts);
      printVerdict(summary, dir, io);
      return exitCode;
    },
    { onInterrupt },
  );
}

/** A configured production target needs --allow-production; the embedded reference target never does. */
function refuseProduction(session: Session, flags: LoadFlags): void {
  if (session.embedded !== undefined || flags.allowProduction) return;
  for (const target of session.targets) {
    if (target.production) {
      throw configError(
        '--allow-production',
        `${target.origin} is a production target (by its environment or name, or \`production: true\`); load testing it needs --allow-production`,
      );
    }
  }
}
