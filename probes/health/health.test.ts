import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../../src/config/schema.js';
import { httpSnapshot } from '../../test/helpers/http-snapshot.js';
import { evaluateHealth, readHealthBody } from './evaluate.js';

const health = (body: string, status = 200, totalMs = 20) =>
  httpSnapshot({ url: 'https://a.test/health', status, body, timings: { headersMs: totalMs, totalMs } });

const cases = [
  { name: 'status ok', doc: health('{"status":"ok"}'), status: 'pass' },
  { name: 'a non-JSON 200 body', doc: health('OK'), status: 'pass' },
  { name: 'status UP with healthy checks', doc: health('{"status":"UP","checks":{"db":{"status":"up"}}}'), status: 'pass' },
  { name: '503', doc: health('{"status":"ok"}', 503), status: 'fail', reason: 'bad_status' },
  { name: 'status fail', doc: health('{"status":"fail"}'), status: 'fail', reason: 'down' },
  {
    name: 'a dependency down',
    doc: health('{"status":"ok","dependencies":{"database":{"status":"down"}}}'),
    status: 'fail',
    reason: 'dependency_down',
  },
  {
    name: 'an array of components with one unhealthy',
    doc: health('{"status":"pass","components":[{"name":"redis","status":"unhealthy"}]}'),
    status: 'fail',
    reason: 'dependency_down',
  },
  { name: 'status warn', doc: health('{"status":"warn"}'), status: 'warn', reason: 'degraded' },
  { name: 'a 1.5 s answer', doc: health('{"status":"ok"}', 200, 1500), status: 'warn', reason: 'slow' },
] as const;

for (const c of cases) {
  test(`health.endpoint with ${c.name} → ${c.status}`, () => {
    const finding = evaluateHealth(c.doc, DEFAULT_PROBE_OPTIONS);
    assert.equal(finding.status, c.status, finding.message);
    assert.equal(finding.reason, 'reason' in c ? c.reason : undefined);
  });
}

test('health.endpoint fails (not errors) with timeout or unreachable when nothing answers', () => {
  const timeout = evaluateHealth(
    { url: 'https://a.test/health', reason: 'timeout', detail: 'aborted', elapsedMs: 2001 },
    DEFAULT_PROBE_OPTIONS,
  );
  assert.equal(timeout.status, 'fail');
  assert.equal(timeout.reason, 'timeout');
  assert.match(timeout.message, /2000 ms/);
  const refused = evaluateHealth(
    { url: 'https://a.test/health', reason: 'unreachable', detail: 'ECONNREFUSED', elapsedMs: 1 },
    DEFAULT_PROBE_OPTIONS,
  );
  assert.equal(refused.status, 'fail');
  assert.equal(refused.reason, 'unreachable');
});

test('readHealthBody names the dependencies that are down', () => {
  assert.deepEqual(readHealthBody('{"status":"fail","checks":{"database":"down","cache":"ok"}}').downDependencies, ['database']);
});
