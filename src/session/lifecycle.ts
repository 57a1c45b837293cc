import type { TargetFlags } from '../config/resolve.js';
import type { CommandIO } from './io.js';
import { withInterruptSignal } from './interrupt.js';
import { openSession, type Session, type SessionOptions } from './session.js';

export interface LifecycleOptions extends SessionOptions {
  /** Said on SIGINT/SIGTERM, before the body sees its signal abort. */
  readonly onInterrupt?: () => void;
}

/**
 * Every command's frame: opens the session for its target flags, runs the body with the signal
 * that SIGINT/SIGTERM abort, and closes the session (targets, connections, Sentry) however the
 * body ends.
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
    await session.close();
  }
}
