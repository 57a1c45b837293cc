import type { TriggerStatus } from '../alerting/evaluator.js';
import { TRIGGER_IDS } from '../alerting/triggers.js';
import { errored, fail, pass, skip, warn, type Finding } from '../core/result.js';
import type { GateOutcome } from './gate.js';

export interface GateFindingOptions {
  /** `--allow-inconclusive`: insufficient data is a skip rather than an error. */
  readonly allowInconclusive: boolean;
  readonly forMs: number;
}

/**
 * A gate's outcome as result records, one per trigger and target, so that the gate's report,
 * JUnit and verdict come from the same model as every other run. The statuses agree with the
 * gate's exit code: fired → fail; insufficient data, or a --for shorter than the trigger's own
 * window (window_too_short) → error (skip when allowed); a window cut short → error for every
 * trigger that had not fired.
 */
export function gateFindings(outcome: GateOutcome, origin: string, options: GateFindingOptions): Finding[] {
  const statuses = outcome.finalStatuses.get(origin) ?? [];
  return TRIGGER_IDS.map((id): Finding => {
    const status = statuses.find((s) => s.id === id);
    const evidence = { ...(status?.evidence ?? {}), windowSeconds: options.forMs / 1000, elapsedSeconds: round(outcome.elapsedMs / 1000) };
    if (status?.state === 'firing') return fail(id, 'fired', status.message, evidence);
    if (outcome.interrupted === true) {
      return errored(
        id,
        'interrupted',
        `the gate stopped after ${evidence.elapsedSeconds} s, before its ${evidence.windowSeconds} s window was over`,
        evidence,
      );
    }
    if (status === undefined || status.state === 'insufficient_data') {
      const message = status?.message ?? `no probe cycle against ${origin} finished within the window`;
      // A window shorter than the trigger's own cannot prove its silence, whatever the data said.
      const reason = outcome.tooShort?.some((w) => w.id === id) === true ? 'window_too_short' : 'insufficient_data';
      return options.allowInconclusive ? skip(id, reason, message, evidence) : errored(id, reason, message, evidence);
    }
    return stateFinding(status, evidence);
  });
}

function stateFinding(status: TriggerStatus, evidence: Finding['evidence']): Finding {
  // `pending`: the condition held at the end of the window but not long enough to fire.
  if (status.state === 'pending') return warn(status.id, 'pending', status.message, evidence);
  return pass(status.id, status.message, evidence);
}

const round = (seconds: number): number => Math.round(seconds * 10) / 10;
