import { openTargets, targetFlagsOf } from '../context.js';
import type { CommandIO } from '../context.js';
import { EXIT_GO, EXIT_NO_GO } from '../exit.js';
import { printVerdict } from '../print.js';
import { createProgress } from '../progress.js';
import { runVerify } from '../../verify/run.js';
import type { SuiteName } from '../../verify/suites.js';

export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const session = await openTargets(targetFlagsOf(options), io);
  const controller = new AbortController();
  const stop = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const { summary, dir } = await runVerify({
      session,
      suite: (options.suite as SuiteName | undefined) ?? 'all',
      smoke: options.smoke !== false,
      load: options.load === true,
      io,
      progress: createProgress(io),
      signal: controller.signal,
    });
    printVerdict(summary, dir, io);
    return summary.verdict === 'pass' ? EXIT_GO : EXIT_NO_GO;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await session.close();
  }
}
