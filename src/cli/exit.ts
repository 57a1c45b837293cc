import { ConfigError } from '../config/errors.js';

/** The exit codes every command keeps (README, "Exit codes"). */
export const EXIT_GO = 0;
export const EXIT_NO_GO = 1;
export const EXIT_USAGE = 2;

export class NotImplementedError extends Error {}

/** Prints what went wrong without a stack trace and returns the exit code. */
export function reportFatal(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof ConfigError) {
    stderr.write('vor-watch: configuration error\n');
    for (const p of error.problems) stderr.write(`  ${p.source}: ${p.message}\n`);
    return EXIT_USAGE;
  }
  if (error instanceof NotImplementedError) {
    stderr.write(`vor-watch: ${error.message}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`vor-watch: internal error: ${message}\n`);
  if (process.env.VOR_DEBUG === '1' && error instanceof Error && error.stack !== undefined) stderr.write(`${error.stack}\n`);
  return EXIT_NO_GO;
}
