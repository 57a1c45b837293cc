import { releaseStartupSignals } from '../../../bin/startup-signals.js';
import { runTargetCommand } from '../../../target/main.js';
import type { CommandIO } from '../../session/io.js';

export function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
  // The reference target handles its own signals: one that came while the CLI was starting ends it at once, as ever.
  const early = releaseStartupSignals();
  if (early !== undefined) process.kill(process.pid, early);
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const port = text(options.port);
  const httpPort = text(options.httpPort);
  const faults = text(options.faults);
  return runTargetCommand({
    stdout: io.stdout,
    stderr: io.stderr,
    env: io.env,
    ...(port === undefined ? {} : { port }),
    ...(httpPort === undefined ? {} : { httpPort }),
    ...(faults === undefined ? {} : { faults }),
  });
}
