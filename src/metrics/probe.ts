import { defineProbe, type Probe } from '../core/probe.js';
import { fail, pass, skip } from '../core/result.js';
import { validateExposition } from './exposition.js';

/** monitoring.metrics: the monitor's /metrics must be valid Prometheus exposition with the contract metrics. */
export function metricsProbe(metricsUrl: string | undefined): Probe {
  return defineProbe({
    name: 'monitor-metrics',
    checks: ['monitoring.metrics'],
    async run(ctx) {
      if (metricsUrl === undefined)
        return [skip('monitoring.metrics', 'not_configured', 'no monitor /metrics URL configured (run `vor-watch monitor`)')];
      const started = performance.now();
      let response: Response;
      try {
        response = await fetch(metricsUrl, { signal: ctx.signal });
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
    },
  });
}
