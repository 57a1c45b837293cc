import { defineProbe, type Probe, type ProbeContext } from '../core/probe.js';
import { fail, pass, skip, type Finding } from '../core/result.js';
import { validateExposition } from './exposition.js';

/**
 * How long one look at the monitor's /metrics answers every target's check. The page is the same
 * whichever target asks, and with many targets it is large (about 6 MB for 100): each target
 * fetching and validating its own copy, all in the same wave of the slow group, cost the monitor
 * most of its memory and CPU.
 */
export const METRICS_CHECK_SHARED_FOR_MS = 60_000;

/** monitoring.metrics: the monitor's /metrics must be valid Prometheus exposition with the contract metrics. */
export function metricsProbe(metricsUrl: string | undefined, sharedForMs: number = METRICS_CHECK_SHARED_FOR_MS): Probe {
  let shared: { readonly at: number; readonly findings: Promise<readonly Finding[]> } | undefined;
  return defineProbe({
    name: 'monitor-metrics',
    checks: ['monitoring.metrics'],
    run(ctx) {
      if (metricsUrl === undefined)
        return Promise.resolve([
          skip('monitoring.metrics', 'not_configured', 'no monitor /metrics URL configured (run `vor-watch monitor`)'),
        ]);
      const now = Date.now();
      // The look has a deadline of its own, not the first asker's signal: an asker giving up (its
      // cycle's deadline) must not cut it short for the others, nor make each of them look again.
      if (shared === undefined || now - shared.at >= sharedForMs) {
        const findings = checkMetrics(metricsUrl, ctx, AbortSignal.timeout(ctx.options.timeoutMs));
        findings.catch(() => undefined); // each asker sees the rejection; none left unhandled
        shared = { at: now, findings };
      }
      return shared.findings;
    },
  });
}

async function checkMetrics(
  metricsUrl: string,
  ctx: Pick<ProbeContext, 'recordRequest'>,
  signal: AbortSignal,
): Promise<readonly Finding[]> {
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(metricsUrl, { signal });
  } catch (error) {
    return [
      fail('monitoring.metrics', 'unreachable', `${metricsUrl} could not be fetched: ${(error as Error).message}`, { url: metricsUrl }),
    ];
  }
  const body = await response.text();
  ctx.recordRequest({
    check: 'monitoring.metrics',
    durationSeconds: (performance.now() - started) / 1000,
    outcome: response.status >= 500 ? 'failure' : 'success',
  });
  if (response.status !== 200)
    return [
      fail('monitoring.metrics', 'bad_status', `${metricsUrl} answered ${response.status}`, {
        url: metricsUrl,
        status: response.status,
      }),
    ];
  // prom-client (behind the names) is loaded only when there is a monitor to check.
  const { CONTRACT_METRIC_NAMES } = await import('./registry.js');
  const problems = validateExposition(body);
  const missing = CONTRACT_METRIC_NAMES.filter((name) => !new RegExp(`^# TYPE ${name} `, 'm').test(body));
  if (problems.length > 0) {
    return [
      fail('monitoring.metrics', 'invalid_exposition', `${metricsUrl} is not valid Prometheus exposition: ${problems[0]}`, {
        url: metricsUrl,
        problems: problems.slice(0, 10),
      }),
    ];
  }
  if (missing.length > 0) {
    return [fail('monitoring.metrics', 'missing_metrics', `${metricsUrl} lacks ${missing.join(', ')}`, { url: metricsUrl, missing })];
  }
  return [
    pass('monitoring.metrics', `${metricsUrl} is valid Prometheus exposition with every contract metric`, {
      url: metricsUrl,
      bytes: body.length,
    }),
  ];
}
