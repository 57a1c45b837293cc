import { escapeControlChars } from '../core/control-chars.js';
import type { CheckResult, RunSummary, Status } from '../core/result.js';
import { STATUS_FORMAT, colourEnabled, painter } from '../terminal/colour.js';
import { areasOf, groupByRootCause, type ResultGroup } from '../terminal/root-cause.js';
import type { CommandIO } from './io.js';

const SYMBOL: Readonly<Record<Status, string>> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERR ', skip: 'SKIP' };

/** Colours a status word when the output may carry colour (NO_COLOR, FORCE_COLOR, a terminal: see colourEnabled). */
export function colourOf(io: Pick<CommandIO, 'env' | 'isTTY'>): (status: Status, text: string) => string {
  const paint = painter(colourEnabled(io.env, io.isTTY));
  return (status, text) => paint(STATUS_FORMAT[status], text);
}

/** One line per result: status, id, message (the readable table of `probe`). */
export function formatResultLine(result: CheckResult, io: Pick<CommandIO, 'env' | 'isTTY'>, width = 34): string {
  const paint = colourOf(io);
  // Messages quote the target (Server header, health dependency names): its control characters must not steer the terminal.
  return `${paint(result.status, SYMBOL[result.status])}  ${escapeControlChars(result.id).padEnd(width)} ${escapeControlChars(result.message)}`;
}

/**
 * A table line for a group: a lone result as its own line; checks that one root cause took down as
 * one line naming how many and where, the cause itself told once, under the verdict.
 */
export function formatGroupLine(group: ResultGroup, io: Pick<CommandIO, 'env' | 'isTTY'>, width = 34): string {
  const [first] = group.results;
  if (first === undefined) return '';
  if (group.results.length === 1) return formatResultLine(first, io, width);
  const paint = colourOf(io);
  const head = `${group.results.length} checks`.padEnd(width);
  const blocking = first.status === 'fail' || first.status === 'error';
  const cause = blocking ? `${first.reason ?? first.status} (one root cause, below the verdict)` : (group.cause?.text ?? first.message);
  return `${paint(first.status, SYMBOL[first.status])}  ${head} ${escapeControlChars(areasOf(group.results))}: ${escapeControlChars(cause)}`;
}

export function printResultsTable(results: readonly CheckResult[], io: CommandIO): void {
  const width = Math.max(20, ...results.map((r) => r.id.length));
  for (const group of groupByRootCause(results)) io.stdout.write(`${formatGroupLine(group, io, width)}\n`);
}

export function countByStatus(results: readonly CheckResult[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/** The verdict's lines for one blocking group: the check (or how many checks, where) and the cause, then its fix. */
function blockingLines(group: ResultGroup, paint: (status: Status, text: string) => string): string[] {
  const [first] = group.results;
  if (first === undefined) return [];
  const symbol = paint(first.status, SYMBOL[first.status]);
  const head =
    group.results.length === 1
      ? `  ${symbol} ${escapeControlChars(first.id)}: ${escapeControlChars(first.message)}`
      : `  ${symbol} ${group.results.length} checks (${escapeControlChars(areasOf(group.results))}), one root cause: ${escapeControlChars(group.cause?.text ?? first.message)}`;
  return group.cause?.fix === undefined ? [head] : [head, `       fix: ${group.cause.fix}`];
}

/** The closing lines: verdict, counts, each blocking root cause on one line with its fix, where the report is. */
export function printVerdict(
  summary: RunSummary,
  reportDir: string | undefined,
  io: CommandIO,
  out: NodeJS.WritableStream = io.stdout,
): void {
  const paint = colourOf(io);
  const counts = countByStatus(summary.results);
  const verdict = summary.verdict === 'pass' ? paint('pass', 'GO') : paint('fail', 'NO-GO');
  out.write(`\n${verdict}  ${escapeControlChars(summary.target)}  (${(summary.durationMs / 1000).toFixed(1)} s)\n`);
  out.write(
    `  ${Object.entries(counts)
      .map(([status, n]) => `${n} ${status}`)
      .join(', ')}\n`,
  );
  const blocking = summary.results.filter((x) => x.status === 'fail' || x.status === 'error');
  for (const group of groupByRootCause(blocking)) for (const line of blockingLines(group, paint)) out.write(`${line}\n`);
  const checklist = summary.checklist;
  if (checklist !== undefined) out.write(`  checklist: ${checklist.headline}\n`);
  if (checklist?.requireAttestations === true && checklist.openManualItems.length > 0)
    out.write(
      `  ${paint('fail', SYMBOL.fail)} checklist: ${checklist.openManualItems.length} manual items not attested (--require-attestations)\n`,
    );
  if (reportDir !== undefined) out.write(`  report: ${escapeControlChars(reportDir)}/index.html\n`);
}
