import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Gauge, Registry } from 'prom-client';
import { STATUSES, type Status } from '../core/result.js';
import { CheckResultMetric } from './check-result.js';

type Result = [target: string, check: string, severity: string, status: Status];

const RESULTS: Result[] = [
  ['https://a.example', 'tls.expiry', 'critical', 'pass'],
  ['https://a.example', 'headers.csp', 'high', 'fail'],
  ['https://b.example/"quoted"', 'health.endpoint', 'critical', 'skip'],
  ['https://a.example', 'tls.expiry', 'critical', 'error'],
  ['https://b.example/"quoted"', 'health.endpoint', 'critical', 'pass'],
];

/** What vor_check_result was as a prom-client Gauge: five series set per result. */
function asGauge(registry: Registry, results: readonly Result[]): void {
  const gauge = new Gauge({
    name: 'vor_check_result',
    help: `Last status of a check: 1 on its status series, 0 on the others (${STATUSES.join(', ')}); severity is the check's.`,
    labelNames: ['target', 'check', 'severity', 'status'] as const,
    registers: [registry],
  });
  for (const [target, check, severity, last] of results)
    for (const status of STATUSES) gauge.set({ target, check, severity, status }, status === last ? 1 : 0);
}

function exposition(fill: (registry: Registry) => void, location?: string): Promise<string> {
  const registry = new Registry();
  if (location !== undefined) registry.setDefaultLabels({ location });
  fill(registry);
  return registry.metrics();
}

describe('vor_check_result', () => {
  it('exposes the same text a Gauge with five series per check did, with and without a location label', async () => {
    for (const location of [undefined, 'fra']) {
      const fromEntries = await exposition((registry) => {
        const metric = new CheckResultMetric([registry]);
        for (const [target, check, severity, status] of RESULTS) metric.set(target, check, severity, status);
      }, location);
      assert.equal(fromEntries, await exposition((registry) => asGauge(registry, RESULTS), location));
      assert.match(
        fromEntries,
        /vor_check_result\{target="https:\/\/a.example",check="tls.expiry",severity="critical",status="error"(,location="fra")?\} 1/,
      );
      assert.equal(fromEntries.match(/^vor_check_result\{/gm)?.length, 3 * STATUSES.length);
    }
  });

  it('a check whose severity changes keeps five series, under the new severity; reset empties it', async () => {
    const registry = new Registry();
    const metric = new CheckResultMetric([registry]);
    metric.set('t', 'headers.csp', 'high', 'fail');
    metric.set('t', 'headers.csp', 'critical', 'fail');
    const text = await registry.metrics();
    assert.equal(text.match(/^vor_check_result\{/gm)?.length, STATUSES.length);
    assert.doesNotMatch(text, /severity="high"/);
    registry.resetMetrics();
    assert.doesNotMatch(await registry.metrics(), /^vor_check_result\{/m);
  });
});
