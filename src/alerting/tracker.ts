import { TRIGGERS, type TriggerDefinition, type TriggerId, type TriggerSettings } from './triggers.js';

/**
 * `insufficient_data` is its own state: no samples is neither healthy nor a reason to roll back
 * (argo-rollouts #1466, #4479), so a gate can tell "clean" from "could not tell".
 */
export type TriggerState = 'insufficient_data' | 'ok' | 'pending' | 'firing';

export interface TriggerStatus {
  readonly id: TriggerId;
  readonly state: TriggerState;
  readonly message: string;
  readonly evidence: Readonly<Record<string, number | string | null>>;
  /** When the current state began (ms since epoch, from the injected clock). */
  readonly since: number;
}

/** One evaluation of a trigger's condition: conclusive or not, and whether it holds. */
export interface Reading {
  readonly conclusive: boolean;
  readonly holds: boolean;
  readonly message: string;
  readonly evidence: Record<string, number | string | null>;
}

interface Track {
  state: TriggerState;
  since: number;
  pendingSince?: number;
  recoveringSince?: number;
}

/**
 * The trigger state machine shared by every signal source: a condition must hold for the trigger's
 * `for` before it fires, and be conclusively false for its recovery time before a fired trigger clears
 * (Prometheus `for` / `keep_firing_for`).
 */
export class TriggerTracker {
  private readonly tracks = new Map<TriggerId, Track>();

  constructor(private readonly settings: TriggerSettings) {}

  step(id: TriggerId, reading: Reading, now: number): TriggerStatus {
    const trigger = definitionOf(id);
    const track = this.tracks.get(id) ?? { state: 'insufficient_data', since: now };
    this.tracks.set(id, track);
    const move = (state: TriggerState): void => {
      if (track.state !== state) {
        track.state = state;
        track.since = now;
      }
    };
    if (track.state === 'firing') {
      // Recovery: only conclusive good readings count; missing data keeps a fired trigger firing.
      if (reading.conclusive && !reading.holds) {
        track.recoveringSince ??= now;
        if (now - track.recoveringSince >= trigger.recoveryMs(this.settings)) {
          track.recoveringSince = undefined;
          track.pendingSince = undefined;
          move('ok');
        }
      } else {
        track.recoveringSince = undefined;
      }
    } else if (!reading.conclusive) {
      track.pendingSince = undefined;
      move('insufficient_data');
    } else if (reading.holds) {
      track.pendingSince ??= now;
      move(now - track.pendingSince >= trigger.forMs(this.settings) ? 'firing' : 'pending');
    } else {
      track.pendingSince = undefined;
      move('ok');
    }
    const evidence = {
      ...reading.evidence,
      ...(track.pendingSince === undefined ? {} : { conditionSince: new Date(track.pendingSince).toISOString() }),
      ...(track.recoveringSince === undefined ? {} : { recoveringSince: new Date(track.recoveringSince).toISOString() }),
    };
    return { id, state: track.state, message: reading.message, evidence, since: track.since };
  }
}

function definitionOf(id: TriggerId): TriggerDefinition {
  const found = TRIGGERS.find((t) => t.id === id);
  if (found === undefined) throw new Error(`unknown trigger ${id}`);
  return found;
}
