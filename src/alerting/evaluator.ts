import type { Status } from '../core/result.js';
import { nextHealthStreak } from './streak.js';
import { TriggerTracker, type Reading, type TriggerStatus } from './tracker.js';
import { TRIGGER_IDS, type TriggerId, type TriggerSettings } from './triggers.js';
import { RequestWindow, type RequestObservation } from './window.js';

export type { TriggerState, TriggerStatus } from './tracker.js';

export type { RequestObservation } from './window.js';

/** Evaluates the three rollback triggers for one target's probes with the same semantics as the rule file. */
export class TriggerEvaluator {
  private readonly requests: RequestWindow;
  private healthStreak = 0;
  private healthSeen = false;
  private lastHealthStatus: Status | undefined;
  private readonly tracker: TriggerTracker;

  constructor(
    private readonly settings: TriggerSettings,
    private readonly clock: () => number = Date.now,
  ) {
    this.requests = new RequestWindow(Math.max(settings.errorRate.windowMs, settings.slowResponses.windowMs));
    this.tracker = new TriggerTracker(settings);
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
    return TRIGGER_IDS.map((id) => this.tracker.step(id, this.read(id, now), now));
  }

  private read(id: TriggerId, now: number): Reading {
    switch (id) {
      case 'rollback.error_rate':
        return this.readErrorRate(now);
      case 'rollback.slow_responses':
        return this.readSlowResponses(now);
      case 'rollback.health_failures':
        return this.readHealth();
    }
  }

  private readErrorRate(now: number): Reading {
    const s = this.settings.errorRate;
    const all = this.requests.between(now - s.windowMs, now);
    const window = all.filter((r) => r.purpose === 'user');
    const failures = window.filter((r) => r.outcome === 'failure').length;
    const ratio = window.length === 0 ? null : failures / window.length;
    const apart = all.filter((r) => r.purpose !== 'user');
    const evidence = {
      requests: window.length,
      failures,
      ratio,
      maxRatio: s.maxRatio,
      minRequests: s.minRequests,
      windowMs: s.windowMs,
      // Hostile and self-check requests are shown, never judged: their failures are other checks' findings.
      requestsCountedApart: apart.length,
      failuresCountedApart: apart.filter((r) => r.outcome === 'failure').length,
    };
    if (window.length < s.minRequests) {
      return {
        conclusive: false,
        holds: false,
        evidence,
        message: `only ${window.length} of the ${s.minRequests} user-path requests needed in the window`,
      };
    }
    const pct = ((ratio ?? 0) * 100).toFixed(1);
    return {
      conclusive: true,
      holds: (ratio ?? 0) > s.maxRatio,
      evidence,
      message: `${failures} of ${window.length} user-path requests failed (${pct} %)`,
    };
  }

  private readSlowResponses(now: number): Reading {
    const r = this.settings.slowResponses;
    const window = this.requests.between(now - r.windowMs, now).filter((x) => x.purpose === 'user');
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
    if (window.length === 0) return { conclusive: false, holds: false, evidence, message: 'no user-path requests in the latency window' };
    const holds = (slowShare ?? 0) > 1 - r.quantile;
    return {
      conclusive: true,
      holds,
      evidence,
      message: `${slow} of ${window.length} user-path requests took longer than ${r.thresholdSeconds} s (p${r.quantile * 100} ${holds ? 'above' : 'within'} threshold)`,
    };
  }

  private readHealth(): Reading {
    const h = this.settings.healthFailures;
    const evidence = {
      consecutiveFailures: this.healthStreak,
      maxConsecutive: h.maxConsecutive,
      lastStatus: this.lastHealthStatus ?? null,
    };
    if (!this.healthSeen) return { conclusive: false, holds: false, evidence, message: 'no health check result yet' };
    return {
      conclusive: true,
      holds: this.healthStreak > h.maxConsecutive,
      evidence,
      message: `${this.healthStreak} consecutive health check failures`,
    };
  }
}
