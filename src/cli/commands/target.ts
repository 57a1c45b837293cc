import { runTargetCommand } from '../../../target/main.js';
import type { CommandIO } from '../../session/io.js';

export function run(options: Record<string, unknown>, io: CommandIO): Promise<number> {
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
