import type { RunSummary } from '../core/result.js';
import type { GateOutcome } from '../monitor/gate.js';

/** The exit codes every command keeps (README, "Exit codes"). */
export const EXIT_GO = 0;
export const EXIT_NO_GO = 1;
export const EXIT_USAGE = 2;

export const exitCodeOf = (summary: Pick<RunSummary, 'verdict'>): number => (summary.verdict === 'pass' ? EXIT_GO : EXIT_NO_GO);

/** Fired or interrupted is NO-GO; inconclusive too unless --allow-inconclusive; a clean window is GO. */
export function gateExitCode(outcome: Pick<GateOutcome, 'verdict' | 'interrupted'>, allowInconclusive: boolean): number {
  if (outcome.verdict === 'fired' || outcome.interrupted === true) return EXIT_NO_GO;
  if (outcome.verdict === 'inconclusive') return allowInconclusive ? EXIT_GO : EXIT_NO_GO;
  return EXIT_GO;
}
