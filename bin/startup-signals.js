/* global process */
/**
 * SIGINT/SIGTERM that arrive while the CLI is still loading (its modules, and starting the embedded
 * target, take a moment) are held instead of ending the process without a word or a report. The
 * command's own handlers replay the held signal once they are in place (src/session/interrupt.ts),
 * so an early signal still ends in an interrupted outcome. A second signal while holding ends the
 * process the default way. Plain JavaScript: it runs before anything else is loaded.
 *
 * The build copies this file to dist/bin/ (the compiled modules import it relative to themselves),
 * so two copies of the module can be loaded in one process: the state lives on the process, once.
 */
const STATE = Symbol.for('vor-watch.startup-signals');
const state = (process[STATE] ??= { held: undefined, hold: undefined });

state.hold ??= (signal) => {
  if (state.held === undefined) {
    state.held = signal;
    return;
  }
  releaseStartupSignals();
  process.kill(process.pid, signal);
};

export function holdStartupSignals() {
  process.on('SIGINT', state.hold);
  process.on('SIGTERM', state.hold);
}

/** Stops holding; returns the signal that arrived meanwhile, if one did. */
export function releaseStartupSignals() {
  process.off('SIGINT', state.hold);
  process.off('SIGTERM', state.hold);
  const signal = state.held;
  state.held = undefined;
  return signal;
}
