import { checksDirFlag } from '../../config/checks-dir.js';
import type { CommandIO } from '../../session/io.js';
import { withSession } from '../../session/lifecycle.js';
import { printVerdict } from '../../session/print.js';
import { createProgress } from '../../session/progress.js';
import { runVerify } from '../../verify/run.js';
import type { SuiteName } from '../../verify/suites.js';
import { targetFlagsOf } from '../target-flags.js';

/** `vor-watch verify`: the post-deploy run, one verdict and one report. */
export async function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  const checksDir = checksDirFlag(options, io.cwd);
  return withSession(targetFlagsOf(options), io, async (opened, signal) => {
    const config = {
      ...opened.config,
      ...(options.requireAttestations === true ? { requireAttestations: true } : {}),
      ...(checksDir === undefined ? {} : { checksDir }),
    };
    const session = { ...opened, config };
    const { summary, dir, exitCode } = await runVerify({
      session,
      suite: (options.suite as SuiteName | undefined) ?? 'all',
      smoke: options.smoke !== false,
      load: options.load === true,
      keep: options.keep === true,
      progress: createProgress(io),
      signal,
    });
    printVerdict(summary, dir, io);
    if (options.pdf === true) await printPdf(dir, io);
    return exitCode;
  });
}

/** --pdf: the report as PDF beside index.html; a browser that cannot print it never changes the verdict. */
async function printPdf(dir: string, io: CommandIO): Promise<void> {
  const { writeReportPdf } = await import('../../report/pdf.js');
  try {
    io.stdout.write(`  pdf: ${await writeReportPdf(dir, io.env)}\n`);
  } catch (error) {
    io.stderr.write(`vor-watch: the PDF could not be written (${(error as Error).message.split('\n')[0]}); index.html is complete\n`);
  }
}
