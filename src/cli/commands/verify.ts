import { openTargets, targetFlagsOf } from '../context.js';
import type { CommandIO } from '../context.js';
import { EXIT_GO, EXIT_NO_GO } from '../exit.js';
import { withInterruptSignal } from '../interrupt.js';
import { printVerdict } from '../print.js';
import { createProgress } from '../progress.js';
import { runVerify } from '../../verify/run.js';
import type { SuiteName } from '../../verify/suites.js';

export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const session = await openTargets(targetFlagsOf(options), io);
  try {
    const { summary, dir } = await withInterruptSignal((signal) =>
      runVerify({
        session,
        suite: (options.suite as SuiteName | undefined) ?? 'all',
        smoke: options.smoke !== false,
        load: options.load === true,
        io,
        progress: createProgress(io),
        signal,
      }),
    );
    printVerdict(summary, dir, io);
    return summary.verdict === 'pass' ? EXIT_GO : EXIT_NO_GO;
  } finally {
    await session.close();
  }
}
