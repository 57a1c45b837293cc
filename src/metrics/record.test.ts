import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult } from '../core/result.js';
import { recordRequest, recordResults } from './record.js';
import { createMetrics } from './registry.js';

const T = 'https://app.vor.test';
const result = (partial: Partial<CheckResult> & Pick<CheckResult, 'id' | 'status'>): CheckResult => ({
  message: 'm',
  evidence: {},
  severity: 'high',
  checklist: [],
  durationMs: 1,
  target: T,
  ...partial,
});

describe('metrics', () => {
  it('keeps one registry per instance: two monitors in one process do not share or clash', async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    recordResults(a, [result({ id: 'headers.hsts', status: 'fail', reason: 'missing' })]);
    assert.match(await a.registry.metrics(), /vor_check_status\{target="https:\/\/app\.vor\.test",check="headers\.hsts"\} 0/);
    assert.doesNotMatch(await b.registry.metrics(), /headers\.hsts/);
  });

  it('maps statuses to vor_check_status (1 pass/warn/skip, 0 fail/error) and counts runs by status', async () => {
    const m = createMetrics({ processMetrics: false });
    recordResults(m, [
      result({ id: 'headers.hsts', status: 'warn', reason: 'short' }),
      result({ id: 'headers.csp', status: 'error', reason: 'timeout' }),
      result({ id: 'headers.csp', status: 'error', reason: 'timeout' }),
    ]);
    const text = await m.registry.metrics();
    assert.match(text, /vor_check_status\{target="[^"]+",check="headers\.hsts"\} 1/);
    assert.match(text, /vor_check_status\{target="[^"]+",check="headers\.csp"\} 0/);
    assert.match(text, /vor_check_runs_total\{target="[^"]+",check="headers\.csp",status="error"\} 2/);
  });

  it('exports the certificate notAfter from tls.certificate.validity evidence', async () => {
    const m = createMetrics({ processMetrics: false });
    recordResults(m, [result({ id: 'tls.certificate.validity', status: 'pass', evidence: { notAfter: '2027-01-01T00:00:00.000Z' } })]);
    assert.match(await m.registry.metrics(), /vor_tls_certificate_expiry_timestamp_seconds\{target="[^"]+"\} 1798761600/);
  });

  it('creates both outcome series at zero on the first request, so increase() sees the first failure', async () => {
    const m = createMetrics({ processMetrics: false });
    recordRequest(m, T, { check: 'health.endpoint', durationSeconds: 3.5, outcome: 'success' }, new Set());
    const text = await m.registry.metrics();
    assert.match(text, /vor_probe_requests_total\{target="[^"]+",check="health\.endpoint",outcome="failure",purpose="user"\} 0/);
    assert.match(text, /vor_probe_requests_total\{target="[^"]+",check="health\.endpoint",outcome="success",purpose="user"\} 1/);
    assert.match(text, /vor_probe_request_duration_seconds_bucket\{le="3",target="[^"]+",check="health\.endpoint",purpose="user"\} 0/);
    assert.match(text, /vor_probe_request_duration_seconds_bucket\{le="5",target="[^"]+",check="health\.endpoint",purpose="user"\} 1/);
  });

  it('labels each request with its purpose: user paths apart from hostile requests and self-checks', async () => {
    const m = createMetrics({ processMetrics: false });
    const seen = new Set<string>();
    const purposes = (
      ['headers.hsts', 'http.https_redirect', 'ratelimit.enforced', 'cors.origin_reflection', 'monitoring.metrics'] as const
    ).map((check) => recordRequest(m, T, { check, durationSeconds: 0.1, outcome: 'failure' }, seen));
    assert.deepEqual(purposes, ['user', 'hostile', 'hostile', 'hostile', 'self']);
    const text = await m.registry.metrics();
    assert.match(text, /vor_probe_requests_total\{target="[^"]+",check="http\.https_redirect",outcome="failure",purpose="hostile"\} 1/);
    assert.match(text, /vor_probe_requests_total\{target="[^"]+",check="monitoring\.metrics",outcome="failure",purpose="self"\} 1/);
  });
});
