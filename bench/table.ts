/**
 * The README's benchmark table, from the JSON lines `npm run bench` collects (bench/results.jsonl):
 * each goal a benchmark reported through reportGoal (bench/goals.ts), and one machine line per run
 * saying where and when those benches ran. Pure functions; bench/all.ts does the running and writing.
 */
import type { GoalOutcome } from './goals.js';

export interface Machine {
  readonly cores: number;
  readonly cpu: string;
  /** 1, 5 and 15 minute load averages when the run started. */
  readonly loadAverage: readonly number[];
  readonly node: string;
  /** ISO 8601. */
  readonly date: string;
}

/** One `npm run bench` run: which benches it ran, and where. */
export interface BenchRun {
  readonly machine: Machine;
  readonly benches: readonly string[];
  /** Benches that ended without reporting a goal: the name and how it ended. */
  readonly failed?: readonly { readonly bench: string; readonly exit: string }[];
}

export interface BenchResults {
  readonly runs: readonly BenchRun[];
  readonly goals: readonly GoalOutcome[];
}

export const BEGIN_MARKER = '<!-- bench:begin -->';
export const END_MARKER = '<!-- bench:end -->';

const isRun = (value: unknown): value is BenchRun =>
  typeof value === 'object' && value !== null && 'machine' in value && Array.isArray((value as BenchRun).benches);
const isGoal = (value: unknown): value is GoalOutcome =>
  typeof value === 'object' && value !== null && typeof (value as GoalOutcome).bench === 'string' && 'measured' in value;

/** Reads JSON lines (runs and goals, in any order); a line that is neither is an error naming its number. */
export function parseResults(text: string): BenchResults {
  const runs: BenchRun[] = [];
  const goals: GoalOutcome[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const value: unknown = JSON.parse(line);
    if (isRun(value)) runs.push(value);
    else if (isGoal(value)) goals.push(value);
    else throw new Error(`line ${index + 1} is neither a goal nor a bench run: ${line.slice(0, 80)}`);
  });
  return { runs, goals };
}

export function serializeResults(results: BenchResults): string {
  return [...results.runs, ...results.goals].map((line) => `${JSON.stringify(line)}\n`).join('');
}

/**
 * The results after a new run: its benches' goals replace theirs from earlier runs, every other
 * bench keeps its last figures (so `--only` refreshes part of the table), and a run that no longer
 * accounts for any bench is dropped.
 */
export function mergeResults(previous: BenchResults, latest: BenchResults): BenchResults {
  const fresh = new Set(latest.runs.flatMap((run) => run.benches));
  const kept = previous.runs
    .map((run) => ({
      ...run,
      benches: run.benches.filter((b) => !fresh.has(b)),
      failed: (run.failed ?? []).filter((f) => !fresh.has(f.bench)),
    }))
    .filter((run) => run.benches.length > 0);
  return {
    runs: [...kept, ...latest.runs],
    goals: [...previous.goals.filter((g) => !fresh.has(g.bench)), ...latest.goals],
  };
}

/** A figure with at most three significant digits (whole numbers as they are) and its unit. */
function figure(value: number, unit: string): string {
  const number = Number.isInteger(value) || Math.abs(value) >= 100 ? String(Math.round(value)) : String(Number(value.toPrecision(3)));
  return unit === '×' ? `${number}×` : `${number} ${unit}`;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');

export function describeMachine(machine: Machine): string {
  const load = machine.loadAverage.map((l) => l.toFixed(1)).join(' / ');
  return `${machine.cores} cores (${machine.cpu}), load average ${load} (1/5/15 min) at start, Node ${machine.node}, ${machine.date.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The Markdown between the README markers: the goals table, then where each bench ran. */
export function renderTable(results: BenchResults): string {
  const order = results.runs.flatMap((run) => run.benches);
  const rank = (bench: string): number => (order.includes(bench) ? order.indexOf(bench) : order.length);
  const goals = [...results.goals].sort((a, b) => rank(a.bench) - rank(b.bench));
  const rows = goals.map((g) => {
    const op = g.better === 'lower' ? '≤' : '≥';
    return `| ${cell(g.bench)} | ${cell(g.goal)} | ${figure(g.measured, g.unit)} | ${op} ${figure(g.target, g.unit)} | ${g.met ? 'PASS' : '**MISS**'} | ${cell(g.detail ?? '')} |`;
  });
  const failures = results.runs.flatMap((run) =>
    (run.failed ?? []).map((f) => `| ${cell(f.bench)} | (no goal reported) | — | — | **FAILED** | ${cell(f.exit)} |`),
  );
  const machines = results.runs.map((run) => `- ${run.benches.map((b) => `\`${b}\``).join(', ')}: ${describeMachine(run.machine)}`);
  return [
    '| bench | goal | measured | target | result | detail |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    ...failures,
    '',
    'Measured by `npm run bench` (this table is written by it; `npm run bench -- --only a,b` refreshes some rows) on:',
    '',
    ...machines,
  ].join('\n');
}

/** The document with the text between the bench markers replaced; throws when the markers are missing. */
export function replaceBetweenMarkers(document: string, content: string): string {
  const begin = document.indexOf(BEGIN_MARKER);
  const end = document.indexOf(END_MARKER);
  if (begin === -1 || end === -1 || end < begin) throw new Error(`the README lacks the markers ${BEGIN_MARKER} … ${END_MARKER}`);
  return `${document.slice(0, begin + BEGIN_MARKER.length)}\n${content}\n${document.slice(end)}`;
}
