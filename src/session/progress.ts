import { clearLine, cursorTo } from 'node:readline';
import type { SmokeTestEvent } from '../../smoke/progress-events.js';
import { escapeControlChars } from '../core/control-chars.js';
import type { CheckResult } from '../core/result.js';
import { colourEnabled, painter, type Paint } from '../terminal/colour.js';
import { groupByRootCause } from '../terminal/root-cause.js';
import type { CommandIO } from './io.js';
import { colourOf, formatGroupLine } from './print.js';

export interface Progress {
  phase(name: string): void;
  /** A browser test finished (or failed and will be retried), streamed from the Playwright run. */
  test(event: SmokeTestEvent): void;
  results(results: readonly CheckResult[]): void;
  /** A line of its own (a load window), kept above the status line on a terminal. */
  note(line: string): void;
  done(): void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `[3/20] ✓ sign in and see the dashboard (1.2 s)`: one finished browser test, as a person follows a run. */
export function formatTestLine(event: SmokeTestEvent, done: number, paint: Paint): string {
  const title = escapeControlChars(event.title);
  const time = seconds(event.durationMs);
  if (event.willRetry)
    return `${' '.repeat(`[${done}/${event.total}]`.length)} ${paint('yellow', '↻')} ${title} (${time}, ${event.status}; retrying)`;
  const counter = `[${done}/${event.total}]`;
  switch (event.status) {
    case 'passed':
      return `${counter} ${paint('green', '✓')} ${title} (${time}${event.retry > 0 ? ', flaky: passed on a retry' : ''})`;
    case 'skipped':
      return `${counter} ${paint('gray', '-')} ${title} (skipped)`;
    case 'timedOut':
      return `${counter} ${paint('red', '✗')} ${title} (${time}, timed out)`;
    default:
      return `${counter} ${paint('red', '✗')} ${title} (${time}, ${event.status})`;
  }
}

/**
 * Live progress on stderr, so stdout stays clean for --json: on a terminal, finished browser tests
 * and notable results scroll above one rewritten status line; elsewhere (CI logs) plain lines.
 * Checks one root cause took down are one line (the cause itself is told under the verdict).
 */
export function createProgress(io: CommandIO, { verbose = false }: { verbose?: boolean } = {}): Progress {
  const out = io.stderr;
  const tty = io.stderrIsTTY ?? io.isTTY;
  const terminal = { env: io.env, isTTY: tty };
  const status = colourOf(terminal);
  const paint = painter(colourEnabled(io.env, tty));
  let phase = '';
  let seen = 0;
  let blocking = 0;
  let testsDone = 0;
  let testsStreamed = false;
  let testsTotal = 0;
  const announced = new Set<string>();
  const statusLine = () =>
    `${escapeControlChars(phase)}: ${testsStreamed ? `${testsDone}/${testsTotal} tests done, ` : ''}${seen} checks done${blocking > 0 ? `, ${status('fail', `${blocking} failing`)}` : ''}`;
  const clear = () => {
    clearLine(out, 0);
    cursorTo(out, 0);
  };
  const redraw = () => {
    clear();
    out.write(statusLine());
  };
  /** Lines that stay: above the status line on a terminal, prefixed in a log. */
  const print = (lines: readonly string[], prefix = '[vor-watch] ') => {
    if (lines.length === 0) return;
    if (tty) {
      clear();
      for (const line of lines) out.write(`${line}\n`);
      redraw();
    } else {
      for (const line of lines) out.write(`${prefix}${line}\n`);
    }
  };
  return {
    phase(name) {
      if (tty && phase !== '') out.write('\n');
      phase = name;
      testsDone = 0;
      testsStreamed = false;
      if (tty) redraw();
      else out.write(`[vor-watch] ${escapeControlChars(name)}\n`);
    },
    test(event) {
      testsStreamed = true;
      testsTotal = event.total;
      if (!event.willRetry) testsDone += 1;
      print([formatTestLine(event, testsDone, paint)]);
    },
    results(list) {
      seen += list.length;
      blocking += list.filter((r) => r.status === 'fail' || r.status === 'error').length;
      // Passing tests were each shown as they finished; a terminal shows only what needs a look.
      const notableOnly = !verbose && (tty || testsStreamed);
      const shown = notableOnly ? list.filter((r) => r.status !== 'pass' && r.status !== 'skip') : list;
      // A cause already shown (one DNS failure reaches every probe, batch after batch) is not shown again.
      const fresh = groupByRootCause(shown).filter((group) => group.cause === undefined || !announced.has(group.cause.key));
      for (const group of fresh) if (group.cause !== undefined) announced.add(group.cause.key);
      print(fresh.map((group) => formatGroupLine(group, terminal)));
      if (tty) redraw();
    },
    note(line) {
      print([line], '');
    },
    done() {
      if (tty) out.write('\n');
    },
  };
}
