import { errored, warn, type Finding } from '../src/core/result.js';
import type { LoadSample, SendLagSummary, ServiceTimeSummary } from './sample.js';
import type { Threshold } from './scenarios/types.js';

/** Send lag below this never counts as saturation: timer resolution alone is about a millisecond. */
export const SEND_LAG_FLOOR_SECONDS = 0.01;
/** Send lag may take at most this share of the tightest latency threshold before it distorts the verdict. */
export const SEND_LAG_SHARE_OF_THRESHOLD = 0.05;

/** Whether the open model kept its schedule, and the bound it was held to (load.json `generator`). */
export interface GeneratorHealth {
  readonly sendLag: SendLagSummary;
  /** The answers timed from their actual send, as wrk and autocannon time them (queueing excluded). */
  readonly serviceTime?: ServiceTimeSummary;
  readonly boundSeconds: number;
  readonly saturated: boolean;
}

const LATENCY_METRICS = new Set(['latencyP95Seconds', 'latencyP99Seconds']);

/** The larger of 10 ms and 5 % of the tightest latency threshold. */
export function sendLagBound(thresholds: readonly Threshold[]): number {
  const limits = thresholds.filter((t) => LATENCY_METRICS.has(t.metric) && 'below' in t).map((t) => ('below' in t ? t.below : 0));
  const tightest = limits.length === 0 ? 0 : Math.min(...limits);
  return Math.max(SEND_LAG_FLOOR_SECONDS, tightest * SEND_LAG_SHARE_OF_THRESHOLD);
}

/** Undefined for the closed model, whose latency is measured from the actual send and has no schedule to miss. */
export function generatorHealth(sample: LoadSample, thresholds: readonly Threshold[]): GeneratorHealth | undefined {
  if (sample.sendLag === undefined) return undefined;
  const boundSeconds = sendLagBound(thresholds);
  return {
    sendLag: sample.sendLag,
    ...(sample.serviceTime === undefined ? {} : { serviceTime: sample.serviceTime }),
    boundSeconds,
    saturated: sample.sendLag.p99 > boundSeconds,
  };
}

export const saturationNote = (health: GeneratorHealth): string =>
  `generator saturated: latency figures include the generator's own delay (send lag p99 ${(health.sendLag.p99 * 1000).toFixed(1)} ms > ${(health.boundSeconds * 1000).toFixed(0)} ms); lower --rate or run the load from a bigger machine (k6, load/k6/)`;

/**
 * A saturated generator's latency says more about the generator than the server: a latency
 * threshold that held still warns (the figures are an upper bound), one that broke is not evidence
 * against the server and becomes an error.
 */
export function qualifyLatencyFindings(findings: readonly Finding[], health: GeneratorHealth | undefined): Finding[] {
  if (health === undefined || !health.saturated) return [...findings];
  const note = saturationNote(health);
  return findings.map((f) => {
    if (f.id !== 'load.latency_p95' && f.id !== 'load.latency_p99') return f;
    const evidence = { ...f.evidence, generatorSaturated: true, sendLagP99Seconds: health.sendLag.p99 };
    if (f.status === 'pass' || f.status === 'warn') return warn(f.id, 'generator_saturated', `${f.message} — ${note}`, evidence);
    if (f.status === 'fail') return errored(f.id, 'generator_saturated', `${f.message} — ${note}`, evidence);
    return f;
  });
}
