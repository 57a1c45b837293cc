import { escapeControlChars } from '../core/control-chars.js';
import type { CheckResult, RunSummary, Status } from '../core/result.js';
import type { CommandIO } from './io.js';

const SYMBOL: Readonly<Record<Status, string>> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', error: 'ERR ', skip: 'SKIP' };
const COLOUR: Readonly<Record<Status, string>> = { pass: '32', warn: '33', fail: '31', error: '35', skip: '90' };

export function colourOf(io: CommandIO): (status: Status, text: string) => string {
  const enabled = io.isTTY && io.env.NO_COLOR === undefined;
  return (status, text) => (enabled ? `\u001b[${COLOUR[status]}m${text}\u001b[0m` : text);
}

/** One line per result: status, id, message (the readable table of `probe`). */
export function formatResultLine(result: CheckResult, io: CommandIO, width = 34): string {
  const paint = colourOf(io);
  // Messages quote the target (Server header, health dependency names): its control characters must not steer the terminal.
  return `${paint(result.status, SYMBOL[result.status])}  ${escapeControlChars(result.id).padEnd(width)} ${escapeControlChars(result.message)}`;
}

export function printResultsTable(results: readonly CheckResult[], io: CommandIO): void {
  const width = Math.max(20, ...results.map((r) => r.id.length));
  for (const result of results) io.stdout.write(`${formatResultLine(result, io, width)}\n`);
}

export function countByStatus(results: readonly CheckResult[]): Record<Status, number> {
  const counts: Record<Status, number> = { pass: 0, warn: 0, fail: 0, error: 0, skip: 0 };
  for (const r of results) counts[r.status] += 1;
  return counts;
}

/** The closing lines: verdict, counts, each blocking result on one line, where the report is. */
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
  for (const r of summary.results.filter((x) => x.status === 'fail' || x.status === 'error')) {
    out.write(`  ${paint(r.status, SYMBOL[r.status])} ${escapeControlChars(r.id)}: ${escapeControlChars(r.message)}\n`);
  }
  const checklist = summary.checklist;
  if (checklist !== undefined) out.write(`  checklist: ${checklist.headline}\n`);
  if (checklist?.requireAttestations === true && checklist.openManualItems.length > 0)
    out.write(
      `  ${paint('fail', SYMBOL.fail)} checklist: ${checklist.openManualItems.length} manual items not attested (--require-attestations)\n`,
    );
  if (reportDir !== undefined) out.write(`  report: ${escapeControlChars(reportDir)}/index.html\n`);
}
