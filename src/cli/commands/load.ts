import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configError } from '../../config/errors.js';
import type { LoadConfig } from '../../config/load-schema.js';
import type { CheckResult } from '../../core/result.js';
import { addLoadReport, collectArtifacts } from '../../session/artifacts.js';
import { targetFolder } from '../../session/folders.js';
import type { CommandIO } from '../../session/io.js';
import { withSession } from '../../session/lifecycle.js';
import { printVerdict } from '../../session/print.js';
import { createProgress } from '../../session/progress.js';
import { beginRun, finishRun } from '../../session/report.js';
import type { Session } from '../../session/session.js';
import { CLOSED_ENGINES, type ClosedEngine } from '../../../load/engines/types.js';
import { parseDurationMs, parseIntegerFlag } from '../duration.js';
import { targetFlagsOf } from '../target-flags.js';

export interface LoadFlags {
  readonly scenario: string;
  readonly durationSeconds: number;
  readonly connections?: number;
  readonly engine: ClosedEngine;
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

/** --engine: only the closed model has a choice (the open model and the capacity search are vor-watch's own). */
function parseEngine(value: unknown, openModel: boolean): ClosedEngine {
  const name = String(value ?? 'vor-watch');
  const engine = CLOSED_ENGINES.find((known) => known === name);
  if (engine === undefined) throw configError('--engine', `"${name}" is not an engine; use ${CLOSED_ENGINES.join(' or ')}`);
  if (engine === 'autocannon' && openModel)
    throw configError('--engine', 'autocannon runs the closed model only; drop --rate and --capacity, or --engine');
  return engine;
}

/** Validates the load flags; every problem names its flag (exit 2). */
export async function parseLoadFlags(options: Record<string, unknown>): Promise<LoadFlags> {
  const { MAX_DURATION_SECONDS } = await import('../../../load/run.js');
  // Whether the name exists is known once the config file is read (its load.scenarios).
  const scenario = String(options.scenario ?? 'browse');
  const rate = options.rate === undefined ? undefined : parseIntegerFlag(String(options.rate), '--rate', { min: 1, max: MAX_RATE });
  // commander fills in the default of 10; it only means something when the user chose it in the open model too.
  const connections =
    options.connections === undefined
      ? undefined
      : parseIntegerFlag(String(options.connections), '--connections', { min: 1, max: MAX_CONNECTIONS });
  const engine = parseEngine(options.engine, rate !== undefined || options.capacity === true);
  const baselineFile = typeof options.baseline === 'string' ? options.baseline : undefined;
  if (baselineFile?.trim() === '')
    throw configError('--baseline', 'is empty; give the load.json of an earlier run (reports/<run-id>/load.json)');
  return {
    scenario,
    durationSeconds: parseDurationSeconds(options.duration, MAX_DURATION_SECONDS),
    ...(connections === undefined ? {} : { connections }),
    engine,
    ...(rate === undefined ? {} : { rate }),
    capacity: options.capacity === true,
    ...(baselineFile === undefined ? {} : { baselineFile }),
    abortOnBreach: options.abortOnBreach === true,
    allowProduction: options.allowProduction === true,
  };
}

/** The scenario the flags name, from the built-in ones and the config file's load.scenarios. */
async function scenarioNamed(name: string, load: LoadConfig | undefined, source: string) {
  const { scenarioTable } = await import('../../../load/scenarios/from-config.js');
  const table = scenarioTable(load, source);
  const scenario = table[name];
  if (scenario === undefined) throw configError('--scenario', `"${name}" is not a scenario; use one of ${Object.keys(table).join(', ')}`);
  return scenario;
}

const configSourceOf = (options: Record<string, unknown>, io: CommandIO): string =>
  typeof options.config === 'string' ? options.config : (io.env.VOR_CONFIG ?? 'the config file');

/** --export-k6: the k6 script's scenario table, with the config file's scenarios and thresholds as written. */
async function exportK6(file: string, options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const { resolveConfig } = await import('../../config/resolve.js');
  const { scenarioTable } = await import('../../../load/scenarios/from-config.js');
  const { renderK6Scenarios } = await import('../../../load/k6-export.js');
  const config = resolveConfig({ flags: targetFlagsOf(options), env: io.env, cwd: io.cwd });
  const resolved = path.resolve(io.cwd, file);
  try {
    writeFileSync(resolved, renderK6Scenarios(scenarioTable(config.load, configSourceOf(options, io))));
  } catch (error) {
    throw configError('--export-k6', `cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  io.stdout.write(`vor-watch: wrote ${file}; put it beside load/k6/vor.ts and summary.ts (k6 run, or the k6-operator ConfigMap)\n`);
  return 0;
}

/**
 * --import: k6 runners' load-<runner>.json merged into one load run, through the same records,
 * report, history and verdict as a local run. The target is the one the runners loaded.
 */
async function importRun(files: readonly string[], options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const { readRunnerReports, mergeRunnerReports } = await import('../../../load/import.js');
  const { writeLoadFiles } = await import('../../../load/report/files.js');
  const { compareWithBaseline } = await import('../../../load/report/compare.js');
  const { finalizeFindings } = await import('../../core/finalize.js');
  const runners = readRunnerReports(files, io.cwd);
  const merged = mergeRunnerReports(runners);
  const baseline = typeof options.baseline === 'string' ? await readBaseline(options.baseline, io.cwd) : undefined;
  const target = typeof options.target === 'string' ? options.target : merged.report.target;
  return withSession(targetFlagsOf({ ...options, target }), io, async (session) => {
    const startedAt = new Date(merged.report.startedAt);
    const run = beginRun(session, 'load', startedAt, merged.report.scenario, options.keep === true);
    const origin = session.targets[0]?.origin ?? merged.report.target;
    const results = finalizeFindings({
      declared: merged.report.thresholds.map((t) => t.id),
      findings: merged.findings,
      target: origin,
      durationMs: merged.report.sample.overall.durationSeconds * 1000,
      redactor: session.redactor,
    });
    const report = { ...merged.report, results };
    const comparison = baseline === undefined ? undefined : compareWithBaseline(report, baseline);
    const artifacts = collectArtifacts();
    const written = await writeLoadFiles(report, comparison, run.dir);
    addLoadReport(artifacts, run.dir, written);
    io.stderr.write(
      `vor-watch: merged ${runners.length} k6 runner reports (${merged.report.sample.overall.requests} requests) of ${merged.report.scenario} on ${merged.report.target}\n`,
    );
    const { summary, dir, exitCode } = await finishRun(session, run, results, artifacts);
    printVerdict(summary, dir, io);
    return exitCode;
  });
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
  // Neither sends load: no load flags apply.
  if (typeof options.exportK6 === 'string') return exportK6(options.exportK6, options, io);
  if (Array.isArray(options.import)) return importRun(options.import.map(String), options, io);
  const flags = await parseLoadFlags(options);
  // Before any target starts: a scenario that does not exist is a usage mistake (exit 2).
  const { resolveConfig } = await import('../../config/resolve.js');
  const config = resolveConfig({ flags: targetFlagsOf(options), env: io.env, cwd: io.cwd });
  const scenario = await scenarioNamed(flags.scenario, config.load, configSourceOf(options, io));
  if (flags.engine === 'autocannon' && (scenario.thinkTimeSeconds ?? 0) > 0)
    throw configError('--engine', `the ${flags.scenario} scenario thinks between requests, which autocannon cannot; drop --engine`);
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
          scenario,
          durationSeconds: flags.durationSeconds,
          ...(flags.connections === undefined ? {} : { connections: flags.connections }),
          engine: flags.engine,
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
