import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PROBE_OPTIONS } from '../../src/config/schema.js';
import { httpSnapshot, withHeaders } from '../../test/helpers/http-snapshot.js';
import { CATCH_ALL_HTML } from '../../test/helpers/misconfigured.js';
import { evaluateHealth, readHealthBody } from './evaluate.js';

const health = (body: string, status = 200, totalMs = 20, contentType = body.startsWith('{') ? 'application/json' : 'text/plain') =>
  withHeaders(
    { 'content-type': contentType },
    httpSnapshot({ url: 'https://a.test/health', status, body, timings: { headersMs: totalMs, totalMs } }),
  );

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
  { name: 'application/health+json', doc: health('{"status":"pass"}', 200, 20, 'application/health+json'), status: 'pass' },
  { name: 'JSON served as text/plain', doc: health('{"status":"up"}', 200, 20, 'text/plain'), status: 'pass' },
  { name: 'an empty 200', doc: health('', 200, 20, ''), status: 'pass' },
  {
    name: "the site's landing page (a catch-all)",
    doc: health(CATCH_ALL_HTML, 200, 20, 'text/html; charset=utf-8'),
    status: 'fail',
    reason: 'not_a_health_response',
  },
  {
    name: 'an HTML page labelled text/plain',
    doc: health('<!doctype html><html><body>ok</body></html>', 200, 20, 'text/plain'),
    status: 'fail',
    reason: 'not_a_health_response',
  },
  { name: 'a page of plain text', doc: health('Welcome! '.repeat(200)), status: 'fail', reason: 'not_a_health_response' },
  { name: 'a 404 page', doc: health('<!doctype html><h1>Not Found</h1>', 404, 20, 'text/html'), status: 'fail', reason: 'bad_status' },
  { name: 'a 429', doc: health('Too Many Requests', 429), status: 'error', reason: 'rate_limited' },
  // Express res.send('ok'), Flask return "OK", Django HttpResponse('ok'): text/html without any markup.
  { name: 'a plain "ok" labelled text/html', doc: health('ok', 200, 20, 'text/html; charset=utf-8'), status: 'pass' },
  { name: 'a short snippet of markup', doc: health('<b>ok</b>', 200, 20, 'text/html'), status: 'fail', reason: 'not_a_health_response' },
  {
    name: 'JSON that does not parse',
    doc: health('{"status":"ok",', 200, 20, 'application/json'),
    status: 'error',
    reason: 'invalid_health_json',
  },
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

const cutAt64K = (body: string) => ({ ...health(body.slice(0, 64 * 1024), 200, 20, 'application/json'), truncated: true });
const bigDetails = { details: 'x'.repeat(70 * 1024) };

test('a health body cut at the read limit is judged by its leading status, never read as up', () => {
  const down = evaluateHealth(cutAt64K(JSON.stringify({ status: 'DOWN', ...bigDetails })), DEFAULT_PROBE_OPTIONS);
  assert.equal(down.status, 'fail', down.message);
  assert.equal(down.reason, 'down');
  const up = evaluateHealth(cutAt64K(JSON.stringify({ status: 'UP', ...bigDetails })), DEFAULT_PROBE_OPTIONS);
  assert.equal(up.status, 'pass', up.message);
  assert.match(up.message, /not read/);
  const statusLast = evaluateHealth(cutAt64K(JSON.stringify({ ...bigDetails, status: 'UP' })), DEFAULT_PROBE_OPTIONS);
  assert.equal(statusLast.status, 'error', statusLast.message);
  assert.equal(statusLast.reason, 'health_body_too_large');
});
