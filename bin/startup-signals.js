/* global process */
/**
 * SIGINT/SIGTERM that arrive while the CLI is still loading (compiling the TypeScript sources and
 * starting the embedded target take seconds) are held instead of ending the process without a word
 * or a report. The command's own handlers replay the held signal once they are in place
 * (src/session/interrupt.ts), so an early signal still ends in an interrupted outcome. A second
 * signal while holding ends the process the default way. Plain JavaScript: it runs before tsx loads.
 */
let held;

function hold(signal) {
  if (held === undefined) {
    held = signal;
    return;
  }
  releaseStartupSignals();
  process.kill(process.pid, signal);
}

export function holdStartupSignals() {
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
}

/** Stops holding; returns the signal that arrived meanwhile, if one did. */
export function releaseStartupSignals() {
  process.off('SIGINT', hold);
  process.off('SIGTERM', hold);
  const signal = held;
  held = undefined;
  return signal;
}
