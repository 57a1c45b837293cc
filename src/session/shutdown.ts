/** Closing a session (connections, Sentry, the embedded target) never takes longer than this. */
export const CLOSE_BOUND_MS = 5_000;
/** After the command returned, the process exits within this even if a leaked socket or timer holds it. */
export const EXIT_GRACE_MS = 3_000;

/** Waits for `closing`, but no longer than `boundMs`; `onLate` hears when the bound cut it short. */
export async function settleWithin(closing: Promise<unknown>, boundMs: number, onLate: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), boundMs)));
  const closed = closing.then(() => 'closed' as const);
  try {
    if ((await Promise.race([closed, late])) === 'late') {
      closed.catch(() => undefined); // whatever it ends with now comes too late to matter
      onLate();
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The last line of defence once the verdict is printed and the exit code set: the timer does not
 * keep the process alive itself (unref), it only fires when something else still does.
 */
export function exitIfStillRunning(stderr: NodeJS.WritableStream, graceMs = EXIT_GRACE_MS): void {
  setTimeout(() => {
    stderr.write(`vor-watch: something still held the process ${graceMs / 1000} s after the run ended; exiting anyway\n`);
    process.exit();
  }, graceMs).unref();
}
