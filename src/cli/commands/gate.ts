import { TRIGGER_IDS } from '../../alerting/triggers.js';
import { escapeControlChars } from '../../core/control-chars.js';
import { finalizeFindings } from '../../core/finalize.js';
import type { Redactor } from '../../core/redact.js';
import type { CheckResult } from '../../core/result.js';
import { runGate, type GateOutcome } from '../../monitor/gate.js';
import { gateFindings } from '../../monitor/gate-findings.js';
import { unfillableWindows } from '../../monitor/gate-windows.js';
import { triggerSettingsFromEnv } from '../../monitor/settings.js';
import { trafficSignalFor, withConfiguredWindows } from '../../monitor/traffic-setup.js';
import { sentryHooks } from '../../sentry/hooks.js';
import { gateExitCode } from '../../session/exit-code.js';
import { gateProgress } from '../../session/gate-progress.js';
import type { CommandIO } from '../../session/io.js';
import { withSession } from '../../session/lifecycle.js';
import { probeSet } from '../../session/probe-set.js';
import { beginRun, finishRun } from '../../session/report.js';
import type { Session } from '../../session/session.js';
import { parseDurationMs } from '../duration.js';
import { targetFlagsOf } from '../target-flags.js';

/** `vor-watch gate`: watches a fresh deploy for --for; NO-GO the moment a rollback trigger fires. */
export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const forMs = parseDurationMs(String(options.for ?? ''), '--for', { min: 1000, max: 24 * 3_600_000 });
  const intervalMs = parseDurationMs(String(options.interval ?? '15s'), '--interval', { min: 500, max: 3_600_000 });
  const allowInconclusive = options.allowInconclusive === true;
  const scaledSettings = triggerSettingsFromEnv(io.env);
  return withSession(targetFlagsOf(options), io, async (session, signal) => {
    const triggerSettings = withConfiguredWindows(scaledSettings, session.config.triggers);
    const traffic = trafficSignalFor(options.prometheus, io.env, session.config, triggerSettings);
    const sentry = await session.sentry();
    io.stderr.write(
      `vor-watch gate: watching ${session.targets.map((t) => t.origin).join(', ')} for ${forMs / 1000} s, a cycle every ${intervalMs / 1000} s${traffic === undefined ? '' : '; service traffic from Prometheus'}\n`,
    );
    for (const short of unfillableWindows(triggerSettings, forMs, { intervalMs, options: session.config.probes }))
      io.stderr.write(`vor-watch gate: ${short.message}; it will end inconclusive unless it fires\n`);
    const run = beginRun(session, 'gate', new Date(), undefined, options.keep === true);
    const outcome = await runGate({
      targets: session.targets,
      probes: probeSet(session),
      options: session.config.probes,
      budgets: session.config.budgets,
      redactor: session.redactor,
      transport: session.transport,
      intervalMs,
      forMs,
      triggerSettings,
      signal,
      ...(traffic === undefined ? {} : { traffic }),
      onHeartbeat: gateProgress(forMs, (line) => io.stderr.write(line)),
      ...(sentry === undefined ? {} : { hooks: sentryHooks(sentry) }),
    });
    io.stdout.write(describeOutcome(outcome, session.redactor, allowInconclusive));
    // The verdict is already given: a report that cannot be written must not turn a GO into a rollback.
    try {
      const { dir } = await finishRun(session, run, triggerResults(session, outcome, { allowInconclusive, forMs }));
      io.stdout.write(`report: ${dir}/index.html\n`);
    } catch (error) {
      io.stderr.write(
        `vor-watch gate: the report could not be written (${session.redactor.string((error as Error).message)}); the verdict stands\n`,
      );
    }
    return gateExitCode(outcome, allowInconclusive);
  });
}

/** One result per trigger and target, in the shared model, for the gate's report. */
function triggerResults(session: Session, outcome: GateOutcome, options: { allowInconclusive: boolean; forMs: number }): CheckResult[] {
  return session.targets.flatMap((target) =>
    finalizeFindings({
      declared: TRIGGER_IDS,
      findings: gateFindings(outcome, target.origin, options),
      target: target.origin,
      durationMs: outcome.elapsedMs,
      redactor: session.redactor,
    }),
  );
}

export function describeOutcome(outcome: GateOutcome, redactor: Redactor, allowInconclusive: boolean): string {
  const seconds = (outcome.elapsedMs / 1000).toFixed(1);
  if (outcome.fired !== undefined) {
    const { target, status } = outcome.fired;
    return [
      `NO-GO: rollback trigger ${status.id} fired for ${target} after ${seconds} s: ${escapeControlChars(redactor.string(status.message))}`,
      `evidence: ${JSON.stringify(redactor.evidence(status.evidence))}`,
      '',
    ].join('\n');
  }
  if (outcome.interrupted === true) {
    return `NO-GO (interrupted): stopped after ${seconds} s, before the window was over; no trigger fired so far\n`;
  }
  if (outcome.verdict === 'inconclusive') {
    const lines = outcome.undecided.map(
      ({ target, status }) => `  ${status.id} for ${target}: ${escapeControlChars(redactor.string(status.message))}`,
    );
    const head = allowInconclusive
      ? `GO (inconclusive, allowed by --allow-inconclusive): no trigger fired in ${seconds} s, but data stayed insufficient:`
      : `NO-GO (inconclusive): no trigger fired in ${seconds} s, but data stayed insufficient to call the deploy healthy:`;
    return [head, ...lines, ''].join('\n');
  }
  return `GO: the ${seconds} s window passed clean; no rollback trigger fired\n`;
}
