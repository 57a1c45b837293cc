import { runGate, type GateOutcome } from '../../monitor/gate.js';
import { loadProbes } from '../../monitor/probes.js';
import { triggerSettingsFromEnv } from '../../monitor/settings.js';
import type { Redactor } from '../../core/redact.js';
import { startSentry } from '../../sentry/client.js';
import { sentryHooks } from '../../sentry/hooks.js';
import { openTargets, targetFlagsOf, type CommandIO } from '../context.js';
import { parseDurationMs } from '../duration.js';
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
    if (outcome.verdict === 'fired') return EXIT_NO_GO;
    if (outcome.interrupted === true) return EXIT_NO_GO;
    if (outcome.verdict === 'inconclusive') return allowInconclusive ? EXIT_GO : EXIT_NO_GO;
    return EXIT_GO;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sentry?.close();
    await session.close();
  }
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
