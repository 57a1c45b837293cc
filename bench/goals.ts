/**
 * One way for every benchmark to state a goal and whether it was met. Each goal prints one line
 * (`GOAL <bench> <goal>: <measured> (goal <op> <target>) PASS|MISS — detail`) and, when
 * VOR_BENCH_OUT names a file, appends one JSON line to it; `npm run bench` reads those lines to
 * write the README table.
 */
import { appendFileSync } from 'node:fs';

export interface Goal {
  /** The benchmark script, e.g. "probe", "load". */
  readonly bench: string;
  /** What is measured, e.g. "HTTPS probes/s vs blackbox_exporter". */
  readonly goal: string;
  readonly measured: number;
  readonly target: number;
  /** "s", "ms", "MB", "×" … */
  readonly unit: string;
  /** Whether a lower or a higher measurement is better. */
  readonly better: 'lower' | 'higher';
  /** The medians behind the figure and how many rounds, e.g. "median of 5; 912 vs 880 probes/s". */
  readonly detail?: string;
}

export interface GoalOutcome extends Goal {
  readonly met: boolean;
}

export function judgeGoal(goal: Goal): GoalOutcome {
  const met = goal.better === 'lower' ? goal.measured <= goal.target : goal.measured >= goal.target;
  return { ...goal, met };
}

const figure = (value: number, unit: string): string =>
  `${Number.isInteger(value) ? value : value.toPrecision(3)}${unit === '×' ? '×' : ` ${unit}`}`;

export function formatGoal(outcome: GoalOutcome): string {
  const op = outcome.better === 'lower' ? '≤' : '≥';
  const detail = outcome.detail === undefined ? '' : ` — ${outcome.detail}`;
  return `GOAL ${outcome.bench} ${outcome.goal}: ${figure(outcome.measured, outcome.unit)} (goal ${op} ${figure(outcome.target, outcome.unit)}) ${outcome.met ? 'PASS' : 'MISS'}${detail}`;
}

/** Prints the goal's line and records it for `npm run bench`; returns whether it was met. */
export function reportGoal(goal: Goal): boolean {
  const outcome = judgeGoal(goal);
  console.log(formatGoal(outcome));
  const out = process.env.VOR_BENCH_OUT;
  if (out !== undefined && out !== '') appendFileSync(out, `${JSON.stringify(outcome)}\n`);
  return outcome.met;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
