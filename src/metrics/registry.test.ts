import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CheckResult } from '../core/result.js';
import { VERSION } from '../version.js';
import { validateExposition } from './exposition.js';
import { recordResults } from './record.js';
import { createMetrics } from './registry.js';

const result = (id: CheckResult['id'], status: CheckResult['status']): CheckResult => ({
  id,
  status,
  message: 'm',
  evidence: {},
  severity: 'high',
  checklist: [],
  durationMs: 1,
  target: 'https://app.vor.test',
});

describe('metrics that cannot mislead', () => {
  it('tells a skipped check from a passing one through vor_check_result{status}', async () => {
    const m = createMetrics({ processMetrics: false });
    recordResults(m, [result('headers.hsts', 'skip'), result('headers.csp', 'pass')]);
    const text = await m.registry.metrics();
    assert.match(text, /vor_check_result\{target="[^"]+",check="headers\.hsts",severity="high",status="skip"\} 1/);
    assert.match(text, /vor_check_result\{target="[^"]+",check="headers\.hsts",severity="high",status="pass"\} 0/);
    assert.match(text, /vor_check_result\{target="[^"]+",check="headers\.csp",severity="high",status="pass"\} 1/);
    assert.match(text, /vor_check_result\{target="[^"]+",check="headers\.csp",severity="high",status="skip"\} 0/);
  });

  it('moves the 1 to the new status when a check changes, so exactly one status series is 1', async () => {
    const m = createMetrics({ processMetrics: false });
    recordResults(m, [result('health.endpoint', 'pass')]);
    recordResults(m, [result('health.endpoint', 'fail')]);
    const ones = (await m.registry.metrics()).match(/vor_check_result\{[^}]*check="health\.endpoint",[^}]*status="(\w+)"\} 1/g) ?? [];
    assert.deepEqual(ones.length, 1);
    assert.match(ones[0] ?? '', /status="fail"/);
  });

  it('stamps each check with the time it last produced a result', async () => {
    const m = createMetrics({ processMetrics: false });
    recordResults(m, [result('health.endpoint', 'pass')], Date.parse('2026-11-29T10:00:00Z'));
    assert.match(
      await m.registry.metrics(),
      /vor_check_last_run_timestamp_seconds\{target="[^"]+",check="health\.endpoint"\} 1795946400\n/,
    );
  });

  it('exports vor_build_info with the version, and without a location adds no location label', async () => {
    const text = await createMetrics({ processMetrics: false }).registry.metrics();
    assert.match(text, new RegExp(`vor_build_info\\{version="${VERSION.replaceAll('.', '\\.')}",nodejs_version="\\d+\\.\\d+\\.\\d+"\\} 1`));
    assert.doesNotMatch(text, /location=/);
  });

  it('puts the location label on every series, process metrics included', async () => {
    const m = createMetrics({ location: 'eu-west-1' });
    recordResults(m, [result('health.endpoint', 'fail')]);
    const text = await m.registry.metrics();
    assert.deepEqual(validateExposition(text), []);
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    assert.ok(samples.length > 20, `only ${samples.length} samples`);
    for (const sample of samples) assert.match(sample, /location="eu-west-1"/, sample);
  });
});
