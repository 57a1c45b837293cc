import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TRIGGER_IDS } from '../alerting/triggers.js';
import { CHECK_IDS, isBuiltinCheckId, type CheckId } from '../core/catalogue.js';
import { createRedactor } from '../core/redact.js';
import { SCENARIOS } from '../../load/scenarios/index.js';
import { SMOKE_CHECK_IDS } from '../../smoke/checks.js';
import { PROBE_CHECK_IDS, probeSet } from './probe-set.js';

const session = { config: {}, redactor: createRedactor([]) };

test('every catalogue id is owned by exactly one source: the probe set, smoke, load or the rollback triggers', () => {
  const sources: Record<string, readonly CheckId[]> = {
    probes: probeSet(session, { metricsUrl: 'http://127.0.0.1:9464/metrics' }).flatMap((p) => p.checks),
    smoke: SMOKE_CHECK_IDS,
    load: [...new Set(Object.values(SCENARIOS).flatMap((s) => s.thresholds.map((t) => t.id)))],
    rollback: TRIGGER_IDS,
  };
  const problems = CHECK_IDS.flatMap((id) => {
    const owners = Object.keys(sources).filter((name) => sources[name]?.includes(id));
    return owners.length === 1 ? [] : [`${id}: ${owners.length === 0 ? 'no source' : owners.join(' and ')}`];
  });
  assert.deepEqual(problems, []);
  const unknown = Object.values(sources)
    .flat()
    .filter((id) => !isBuiltinCheckId(id));
  assert.deepEqual(unknown, [], 'a source answers for an id the catalogue does not know');
});

test('the probe set has error tracking always and the /metrics self-check only where there is a /metrics', () => {
  const ids = (metricsUrl?: string) => probeSet(session, metricsUrl === undefined ? {} : { metricsUrl }).flatMap((p) => p.checks);
  assert.ok(ids().includes('monitoring.error_tracking'));
  assert.ok(!ids().includes('monitoring.metrics'));
  assert.ok(ids('http://127.0.0.1:9464/metrics').includes('monitoring.metrics'));
  assert.deepEqual(PROBE_CHECK_IDS, ids());
  assert.equal(new Set(ids()).size, ids().length, 'no check is answered by two probe families');
});
