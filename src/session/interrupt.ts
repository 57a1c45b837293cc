import { setMaxListeners } from 'node:events';
import { releaseStartupSignals } from '../../bin/startup-signals.js';

/**
 * The one SIGINT/SIGTERM handler of every command: the body gets a signal that the first of them
 * aborts, so it can stop cleanly and still report. The handlers are `once`, so a second Ctrl-C
 * falls through to Node's default and ends the process.
 */
export async function withInterruptSignal<T>(body: (signal: AbortSignal) => Promise<T>, onInterrupt?: () => void): Promise<T> {
  const controller = new AbortController();
  // Every operation in flight (a target's probe run, a query) listens on it until it ends and then
  // removes its listener (src/core/deadline.ts): many at once is normal, a bound still shows a leak.
  setMaxListeners(1000, controller.signal);
  const stop = (): void => {
    onInterrupt?.();
    controller.abort(new Error('interrupted'));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // A signal that came while the CLI was still starting (held by bin/startup-signals.js) is handled as if it came now.
  const early = releaseStartupSignals();
  if (early !== undefined) process.emit(early, early);
  try {
    return await body(controller.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** Resolves once the signal aborts (at once if it already has). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
