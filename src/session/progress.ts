import { escapeControlChars } from '../core/control-chars.js';
import type { CheckResult } from '../core/result.js';
import type { CommandIO } from './io.js';
import { colourOf, formatResultLine } from './print.js';

export interface Progress {
  phase(name: string): void;
  results(results: readonly CheckResult[]): void;
  done(): void;
}

/**
 * Live progress on stderr: a single rewritten status line on a terminal, plain lines elsewhere
 * (CI logs), so stdout stays clean for --json.
 */
export function createProgress(io: CommandIO, { verbose = false }: { verbose?: boolean } = {}): Progress {
  const out = io.stderr;
  const paint = colourOf(io);
  let phase = '';
  let seen = 0;
  let blocking = 0;
  const status = () =>
    `${escapeControlChars(phase)}: ${seen} checks done${blocking > 0 ? `, ${paint('fail', `${blocking} failing`)}` : ''}`;
  const redraw = () => io.isTTY && out.write(`\r\u001b[2K${status()}`);
  return {
    phase(name) {
      if (io.isTTY && phase !== '') out.write('\n');
      phase = name;
      if (io.isTTY) redraw();
      else out.write(`[vor-watch] ${escapeControlChars(name)}\n`);
    },
    results(list) {
      seen += list.length;
      blocking += list.filter((r) => r.status === 'fail' || r.status === 'error').length;
      if (io.isTTY) {
        const notable = list.filter((r) => r.status !== 'pass' && r.status !== 'skip');
        if (verbose || notable.length > 0) {
          out.write('\r\u001b[2K');
          for (const r of verbose ? list : notable) out.write(`${formatResultLine(r, io)}\n`);
        }
        redraw();
      } else {
        for (const r of list) out.write(`[vor-watch] ${formatResultLine(r, io)}\n`);
      }
    },
    done() {
      if (io.isTTY) out.write('\n');
    },
  };
}
