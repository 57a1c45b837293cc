import type { TargetSession } from '../cli/context.js';
import type { CheckResult } from '../core/result.js';
import { startSentry } from './client.js';

/** One Sentry event per failing result of a one-shot run (verify, probe); nothing without SENTRY_DSN. */
export async function reportRunToSentry(
  session: TargetSession,
  results: readonly CheckResult[],
  io: { stderr: NodeJS.WritableStream },
): Promise<void> {
  const reporter = await startSentry(session.config, session.redactor, io);
  if (reporter === undefined) return;
  try {
    for (const target of session.targets) {
      for (const result of results) if (result.target === target.origin) reporter.captureResult(target, result);
    }
    if (!(await reporter.flush(5_000))) io.stderr.write('vor-watch: some Sentry events could not be delivered within 5 s\n');
  } finally {
    await reporter.close();
  }
}
