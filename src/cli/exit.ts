import { ConfigError } from '../config/errors.js';
import { compileKnownSecrets, maskSecrets } from '../core/mask.js';
import { createRedactor } from '../core/redact.js';
import { EXIT_NO_GO, EXIT_USAGE } from '../session/exit-code.js';
import { secretsOf } from '../core/secrets.js';
import { prometheusUrlSecrets } from '../monitor/prometheus-url.js';

/** Prints what went wrong without a stack trace and returns the exit code. */
export function reportFatal(error: unknown, stderr: NodeJS.WritableStream, env: NodeJS.ProcessEnv = {}): number {
  // An unexpected error's message can quote a request, a URL or a header: the run's secrets are masked like any output.
  // Configuration problems are masked too: a value quoted in one may hold credentials (VOR_PROMETHEUS_URL).
  const secrets = [...secretsOf(env), ...prometheusUrlSecrets(env.VOR_PROMETHEUS_URL)];
  const redact = createRedactor(secrets).string;
  if (error instanceof ConfigError) {
    const known = compileKnownSecrets(secrets);
    stderr.write('vor-watch: configuration error\n');
    for (const p of error.problems) stderr.write(`  ${p.source}: ${maskSecrets(p.message, known)}\n`);
    return EXIT_USAGE;
  }
  const message = error instanceof Error ? error.message : String(error);
  stderr.write(`vor-watch: internal error: ${redact(message)}\n`);
  if (process.env.VOR_DEBUG === '1' && error instanceof Error && error.stack !== undefined) stderr.write(`${redact(error.stack)}\n`);
  return EXIT_NO_GO;
}
