import type { TargetFlags } from '../config/resolve.js';
import type { CommandIO } from './io.js';
import { withInterruptSignal } from './interrupt.js';
import { openSession, type Session, type SessionOptions } from './session.js';
import { CLOSE_BOUND_MS, settleWithin } from './shutdown.js';

export interface LifecycleOptions extends SessionOptions {
  /** Said on SIGINT/SIGTERM, before the body sees its signal abort. */
  readonly onInterrupt?: () => void;
}

/**
 * Every command's frame: opens the session for its target flags, runs the body with the signal
 * that SIGINT/SIGTERM abort, and closes the session (targets, connections, Sentry) however the
 * body ends, within a bound.
 */
export async function withSession<T>(
  flags: TargetFlags,
  io: CommandIO,
  body: (session: Session, signal: AbortSignal) => Promise<T>,
  options: LifecycleOptions = {},
): Promise<T> {
  const { onInterrupt, ...sessionOptions } = options;
  const session = await openSession(flags, io, sessionOptions);
  try {
    return await withInterruptSignal((signal) => body(session, signal), onInterrupt);
  } finally {
    await settleWithin(session.close(), CLOSE_BOUND_MS, () =>
      io.stderr.write(`vor-watch: closing connections took over ${CLOSE_BOUND_MS / 1000} s; left them behind\n`),
    );
  }
}
