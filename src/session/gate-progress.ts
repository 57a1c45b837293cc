import type { TriggerStatus } from '../alerting/evaluator.js';
import { escapeControlChars } from '../core/control-chars.js';
import { heartbeatLine } from '../monitor/heartbeat.js';

/** The first minute, a line at every heartbeat: a person is watching the gate start. */
const EVERY_HEARTBEAT_FOR_MS = 60_000;
/** Then one line this often while nothing changes, so a 30-minute window is ~60 lines of log, not 180. */
const STEADY_EVERY_MS = 30_000;

const statesOf = (statuses: ReadonlyMap<string, readonly TriggerStatus[]>): string =>
  [...statuses].map(([origin, list]) => `${origin} ${list.map((s) => `${s.id}=${s.state}`).join(',')}`).join(';');

/**
 * The gate's progress between its start line and its verdict: the time gone of the window and every
 * trigger's state, at each heartbeat for the first minute, then when a state changes or every 30 s.
 */
export function gateProgress(
  forMs: number,
  write: (line: string) => void,
): (elapsedMs: number, statuses: ReadonlyMap<string, readonly TriggerStatus[]>) => void {
  let printedStates: string | undefined;
  let printedAt = 0;
  return (elapsedMs, statuses) => {
    const states = statesOf(statuses);
    const due = elapsedMs < EVERY_HEARTBEAT_FOR_MS || states !== printedStates || elapsedMs - printedAt >= STEADY_EVERY_MS;
    if (!due) return;
    printedStates = states;
    printedAt = elapsedMs;
    write(`vor-watch gate: ${escapeControlChars(heartbeatLine(elapsedMs, forMs, statuses))}\n`);
  };
}
