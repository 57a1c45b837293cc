import type { RequestSample } from '../core/probe.js';
import type { CheckResult } from '../core/result.js';
import { isBlocking } from '../core/verdict.js';
import { requestPurpose, type RequestPurpose } from './purpose.js';
import type { Metrics } from './registry.js';

/** The evidence key probes/tls uses for the certificate's end of validity (ISO date or Unix seconds). */
export const CERT_NOT_AFTER_KEY = 'notAfter';

export function recordResults(metrics: Metrics, results: readonly CheckResult[], now: number = Date.now()): void {
  for (const r of results) {
    // Label objects are written out, not spread from a shared one: prom-client keeps every series'
    // labels object, and V8 gives each `{ ...labels, extra }` its own hidden class (about 0.4 kB
    // apiece; with 100 targets, 20,000 of them, 8 MB of the monitor's heap).
    const labels = { target: r.target, check: r.id };
    metrics.checkStatus.set(labels, isBlocking(r.status) ? 0 : 1);
    metrics.checkResult.set(r.target, r.id, r.severity, r.status);
    metrics.checkLastRun.set(labels, now / 1000);
    metrics.checkRuns.inc({ target: r.target, check: r.id, status: r.status });
    if (r.id === 'tls.certificate.validity') {
      const expiry = certificateExpirySeconds(r.evidence[CERT_NOT_AFTER_KEY]);
      if (expiry !== undefined) metrics.tlsCertificateExpiry.set({ target: r.target }, expiry);
    }
  }
}

export function certificateExpirySeconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value > 1e11 ? Math.floor(value / 1000) : value;
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000);
}

/**
 * Counts one probe request, labelled with its purpose (purpose.ts). Both outcome series are created
 * at zero on first sight, because PromQL's increase() cannot see the first increment of a series
 * that appears already at 1.
 */
export function recordRequest(metrics: Metrics, target: string, sample: RequestSample, seen: Set<string>): RequestPurpose {
  const purpose = requestPurpose(sample.check);
  const key = `${target}\u0000${sample.check}`;
  if (!seen.has(key)) {
    seen.add(key);
    metrics.probeRequests.inc({ target, check: sample.check, outcome: 'success', purpose }, 0);
    metrics.probeRequests.inc({ target, check: sample.check, outcome: 'failure', purpose }, 0);
  }
  metrics.probeRequests.inc({ target, check: sample.check, outcome: sample.outcome, purpose });
  metrics.probeRequestDuration.observe({ target, check: sample.check, purpose }, Math.max(0, sample.durationSeconds));
  return purpose;
}
