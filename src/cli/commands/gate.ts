import { TRIGGER_IDS } from '../../alerting/triggers.js';
import { finalizeFindings } from '../../core/finalize.js';
import type { CheckResult } from '../../core/result.js';
import { runGate, type GateOutcome } from '../../monitor/gate.js';
import { gateFindings } from '../../monitor/gate-findings.js';
import { loadProbes } from '../../monitor/probes.js';
import { triggerSettingsFromEnv } from '../../monitor/settings.js';
import type { Redactor } from '../../core/redact.js';
import { startSentry } from '../../sentry/client.js';
import { sentryHooks } from '../../sentry/hooks.js';
import { openTargets, targetFlagsOf, type CommandIO, type TargetSession } from '../context.js';
import { parseDurationMs } from '../duration.js';
import { writeSessionReport } from '../session-report.js';
import { EXIT_GO, EXIT_NO_GO } from '../exit.js';

export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const forMs = parseDurationMs(String(options.for ?? ''), '--for', { min: 1000, max: 24 * 3_600_000 });
  const intervalMs = parseDurationMs(String(options.interval ?? '15s'), '--interval', { min: 500, max: 3_600_000 });
  const allowInconclusive = options.allowInconclusive === true;
  const triggerSettings = triggerSettingsFromEnv(io.env);
  const probes = await loadProbes();
  const session = await openTargets(targetFlagsOf(options), io);
  const sentry = await startSentry(session.config, session.redactor, io);
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  io.stderr.write(
    `vor-watch gate: watching ${session.targets.map((t) => t.origin).join(', ')} for ${forMs / 1000} s, a cycle every ${intervalMs / 1000} s\n`,
  );
  const startedAt = new Date();
  try {
    const outcome = await runGate({
      targets: session.targets,
      probes,
      options: session.config.probes,
      budgets: session.config.budgets,
      redactor: session.redactor,
      intervalMs,
      forMs,
      triggerSettings,
      signal: stop.signal,
      ...(sentry === undefined ? {} : { hooks: sentryHooks(sentry) }),
    });
    io.stdout.write(describeOutcome(outcome, session.redactor, allowInconclusive));
    const exitCode = gateExitCode(outcome, allowInconclusive);
    // The verdict is already given: a report that cannot be written must not turn a GO into a rollback.
    try {
      const dir = await writeGateReport(session, outcome, startedAt, { allowInconclusive, forMs });
      io.stdout.write(`report: ${dir}/index.html\n`);
    } catch (error) {
      io.stderr.write(
        `vor-watch gate: the report could not be written (${session.redactor.string((error as Error).message)}); the verdict stands\n`,
      );
    }
    return exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sentry?.close();
    await session.close();
  }
}

/** Fired or interrupted is NO-GO; inconclusive too unless --allow-inconclusive; a clean window is GO. */
export function gateExitCode(outcome: Pick<GateOutcome, 'verdict' | 'interrupted'>, allowInconclusive: boolean): number {
  if (outcome.verdict === 'fired' || outcome.interrupted === true) return EXIT_NO_GO;
  if (outcome.verdict === 'inconclusive') return allowInconclusive ? EXIT_GO : EXIT_NO_GO;
  return EXIT_GO;
}

/** The gate's report folder: one result per trigger and target, in the shared model (summary.json, junit.xml, index.html). */
async function writeGateReport(
  session: TargetSession,
  outcome: GateOutcome,
  startedAt: Date,
  options: { allowInconclusive: boolean; forMs: number },
): Promise<string> {
  const results: CheckResult[] = session.targets.flatMap((target) =>
    finalizeFindings({
      declared: TRIGGER_IDS,
      findings: gateFindings(outcome, target.origin, options),
      target: target.origin,
      durationMs: outcome.elapsedMs,
      redactor: session.redactor,
    }),
  );
  const { dir } = await writeSessionReport(session, { startedAt, results, command: 'gate' });
  return dir;
}

export function describeOutcome(outcome: GateOutcome, redactor: Redactor, allowInconclusive: boolean): string {
  const seconds = (outcome.elapsedMs / 1000).toFixed(1);
  if (outcome.fired !== undefined) {
    const { target, status } = outcome.fired;
    return [
      `NO-GO: rollback trigger ${status.id} fired for ${target} after ${seconds} s: ${redactor.string(status.message)}`,
      `evidence: ${JSON.stringify(redactor.evidence(status.evidence))}`,
      '',
    ].join('\n');
  }
  if (outcome.interrupted === true) {
    return `NO-GO (interrupted): stopped after ${seconds} s, before the window was over; no trigger fired so far\n`;
  }
  if (outcome.verdict === 'inconclusive') {
    const lines = outcome.undecided.map(({ target, status }) => `  ${status.id} for ${target}: ${redactor.string(status.message)}`);
    const head = allowInconclusive
      ? `GO (inconclusive, allowed by --allow-inconclusive): no trigger fired in ${seconds} s, but data stayed insufficient:`
      : `NO-GO (inconclusive): no trigger fired in ${seconds} s, but data stayed insufficient to call the deploy healthy:`;
    return [head, ...lines, ''].join('\n');
  }
  return `GO: the ${seconds} s window passed clean; no rollback trigger fired\n`;
}
