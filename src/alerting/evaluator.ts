import type { Status } from '../core/result.js';
import { nextHealthStreak } from './streak.js';
import { TRIGGERS, type TriggerDefinition, type TriggerId, type TriggerSettings } from './triggers.js';
import { SampleWindow } from './window.js';

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

export interface RequestObservation {
  readonly durationSeconds: number;
  readonly outcome: 'success' | 'failure';
}

/** One evaluation of a trigger's condition: conclusive or not, and whether it holds. */
interface Reading {
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

/** Evaluates the three rollback triggers for one target with the same semantics as the rule file. */
export class TriggerEvaluator {
  private readonly requests: SampleWindow<RequestObservation>;
  private healthStreak = 0;
  private healthSeen = false;
  private lastHealthStatus: Status | undefined;
  private readonly tracks = new Map<TriggerId, Track>();

  constructor(
    private readonly settings: TriggerSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.requests = new SampleWindow(Math.max(settings.errorRate.windowMs, settings.slowResponses.windowMs));
  }

  recordRequest(sample: RequestObservation, at = this.clock()): void {
    this.requests.push(at, sample);
  }

  recordHealth(status: Status): void {
    this.healthStreak = nextHealthStreak(this.healthStreak, status);
    if (status !== 'skip') this.healthSeen = true;
    this.lastHealthStatus = status;
  }

  get consecutiveHealthFailures(): number {
    return this.healthStreak;
  }

  evaluate(now = this.clock()): TriggerStatus[] {
    return TRIGGERS.map((trigger) => this.step(trigger, this.read(trigger.id, now), now));
  }

  private read(id: TriggerId, now: number): Reading {
    const s = this.settings;
    switch (id) {
      case 'rollback.error_rate': {
        const window = this.requests.between(now - s.errorRate.windowMs, now);
        const failures = window.filter((r) => r.outcome === 'failure').length;
        const ratio = window.length === 0 ? null : failures / window.length;
        const evidence = {
          requests: window.length,
          failures,
          ratio,
          maxRatio: s.errorRate.maxRatio,
          minRequests: s.errorRate.minRequests,
          windowMs: s.errorRate.windowMs,
        };
        if (window.length < s.errorRate.minRequests) {
          return {
            conclusive: false,
            holds: false,
            evidence,
            message: `only ${window.length} of the ${s.errorRate.minRequests} requests needed in the window`,
          };
        }
        const pct = ((ratio ?? 0) * 100).toFixed(1);
        return {
          conclusive: true,
          holds: (ratio ?? 0) > s.errorRate.maxRatio,
          evidence,
          message: `${failures} of ${window.length} requests failed (${pct} %)`,
        };
      }
      case 'rollback.slow_responses': {
        const r = s.slowResponses;
        const window = this.requests.between(now - r.windowMs, now);
        const slow = window.filter((x) => x.durationSeconds > r.thresholdSeconds).length;
        // Same as histogram_quantile over a bucket edge at the threshold: the quantile is above it
        // exactly when more than (1 - q) of the requests are.
        const slowShare = window.length === 0 ? null : slow / window.length;
        const evidence = {
          requests: window.length,
          slowRequests: slow,
          slowShare,
          thresholdSeconds: r.thresholdSeconds,
          quantile: r.quantile,
          sustainMs: r.sustainMs,
        };
        if (window.length === 0) return { conclusive: false, holds: false, evidence, message: 'no requests in the latency window' };
        const holds = (slowShare ?? 0) > 1 - r.quantile;
        return {
          conclusive: true,
          holds,
          evidence,
          message: `${slow} of ${window.length} requests took longer than ${r.thresholdSeconds} s (p${r.quantile * 100} ${holds ? 'above' : 'within'} threshold)`,
        };
      }
      case 'rollback.health_failures': {
        const evidence = {
          consecutiveFailures: this.healthStreak,
          maxConsecutive: s.healthFailures.maxConsecutive,
          lastStatus: this.lastHealthStatus ?? null,
        };
        if (!this.healthSeen) return { conclusive: false, holds: false, evidence, message: 'no health check result yet' };
        return {
          conclusive: true,
          holds: this.healthStreak > s.healthFailures.maxConsecutive,
          evidence,
          message: `${this.healthStreak} consecutive health check failures`,
        };
      }
    }
  }

  private step(trigger: TriggerDefinition, reading: Reading, now: number): TriggerStatus {
    const track = this.tracks.get(trigger.id) ?? { state: 'insufficient_data', since: now };
    this.tracks.set(trigger.id, track);
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
    return { id: trigger.id, state: track.state, message: reading.message, evidence, since: track.since };
  }
}
