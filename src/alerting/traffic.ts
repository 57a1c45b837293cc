import { queryValue } from './prometheus-query.js';
import { TriggerTracker, type Reading, type TriggerStatus } from './tracker.js';
import { promDuration, type TriggerId, type TriggerSettings } from './triggers.js';
import { renderQuery, type TrafficQueries } from './traffic-config.js';

export interface TrafficSource {
  readonly url: string;
  /** An Authorization header value for the server (the URL's credentials, taken out of it). */
  readonly authorization?: string;
  readonly queries: TrafficQueries;
  readonly selector: string;
  readonly timeoutMs: number;
}

interface Sample {
  readonly requests: number | null;
  readonly errors: number | null;
  readonly latencySeconds: number | null;
}

/** The triggers real traffic can speak to; health stays with the synthetic health checks. */
export const TRAFFIC_TRIGGERS: readonly TriggerId[] = ['rollback.error_rate', 'rollback.slow_responses'];

/**
 * The service's own error ratio and latency, read from Prometheus and judged by the same triggers,
 * thresholds and windows as the probes' requests. No answer or no data is insufficient data: never a pass.
 */
export class TrafficSignal {
  private last: { sample: Sample } | { error: string } | undefined;
  private readonly tracker: TriggerTracker;

  constructor(
    private readonly settings: TriggerSettings,
    private readonly source: TrafficSource,
    private readonly clock: () => number = Date.now,
  ) {
    this.tracker = new TriggerTracker(settings);
  }

  /** The PromQL sent, placeholders filled (shown in evidence and the README example). */
  queries(): TrafficQueries {
    const { errorRate, slowResponses } = this.settings;
    const common = { quantile: slowResponses.quantile, selector: this.source.selector };
    const errorWindow = { ...common, window: promDuration(errorRate.windowMs) };
    return {
      requests: renderQuery(this.source.queries.requests, errorWindow),
      errors: renderQuery(this.source.queries.errors, errorWindow),
      latency: renderQuery(this.source.queries.latency, { ...common, window: promDuration(slowResponses.windowMs) }),
    };
  }

  async poll(signal?: AbortSignal): Promise<void> {
    const q = this.queries();
    const ask = (promql: string, combine: 'sum' | 'max') =>
      queryValue(this.source.url, promql, {
        timeoutMs: this.source.timeoutMs,
        combine,
        ...(signal === undefined ? {} : { signal }),
        ...(this.source.authorization === undefined ? {} : { authorization: this.source.authorization }),
      });
    try {
      const [requests, errors, latencySeconds] = await Promise.all([ask(q.requests, 'sum'), ask(q.errors, 'sum'), ask(q.latency, 'max')]);
      this.last = { sample: { requests, errors, latencySeconds } };
    } catch (error) {
      this.last = { error: (error as Error).message };
    }
  }

  evaluate(now = this.clock()): TriggerStatus[] {
    return TRAFFIC_TRIGGERS.map((id) => this.tracker.step(id, this.read(id), now));
  }

  private read(id: TriggerId): Reading {
    const last = this.last;
    if (last === undefined) return noData('no answer from Prometheus yet', { prometheus: this.source.url });
    if ('error' in last) return noData(last.error, { prometheus: this.source.url });
    return id === 'rollback.error_rate' ? this.readErrorRate(last.sample) : this.readLatency(last.sample);
  }

  private readErrorRate({ requests, errors }: Sample): Reading {
    const e = this.settings.errorRate;
    const window = promDuration(e.windowMs);
    const evidence = {
      requests: rounded(requests),
      failures: rounded(errors ?? 0),
      maxRatio: e.maxRatio,
      minRequests: e.minRequests,
      window,
    };
    if (requests === null) return noData(`Prometheus has no request count for the service over ${window}`, evidence);
    if (requests < e.minRequests)
      return noData(`only ${rounded(requests)} of the ${e.minRequests} requests needed served over ${window}`, evidence);
    const ratio = (errors ?? 0) / requests;
    return {
      conclusive: true,
      holds: ratio > e.maxRatio,
      evidence: { ...evidence, ratio },
      message: `${rounded(errors ?? 0)} of ${rounded(requests)} requests served failed (${(ratio * 100).toFixed(1)} %) over ${window}`,
    };
  }

  private readLatency({ latencySeconds }: Sample): Reading {
    const r = this.settings.slowResponses;
    const label = `p${r.quantile * 100}`;
    const evidence = {
      latencySeconds: latencySeconds === null ? null : rounded(latencySeconds),
      thresholdSeconds: r.thresholdSeconds,
      quantile: r.quantile,
    };
    if (latencySeconds === null)
      return noData(`Prometheus has no ${label} latency for the service over ${promDuration(r.windowMs)}`, evidence);
    const holds = latencySeconds > r.thresholdSeconds;
    return {
      conclusive: true,
      holds,
      evidence,
      message: `${label} of requests served ${rounded(latencySeconds)} s (${holds ? 'above' : 'within'} ${r.thresholdSeconds} s)`,
    };
  }
}

const noData = (message: string, evidence: Reading['evidence']): Reading => ({ conclusive: false, holds: false, message, evidence });
const rounded = (n: number | null): number | null => (n === null ? null : Math.round(n * 1000) / 1000);
