import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CheckId } from '../../src/core/catalogue.js';
import type { BooleanFault } from '../../target/faults.js';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import { buildTarget } from '../../src/core/target.js';
import { startLoopbackSite, type SiteAnswer } from '../../test/helpers/misconfigured.js';
import { corsProbe, corsUrl } from './probe.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench();
});
after(() => bench.close());

test('every CORS check passes on the clean reference target, with real preflights', { timeout: 15_000 }, async () => {
  const results = await bench.run(corsProbe);
  for (const id of corsProbe.checks) assert.equal(resultFor(results, id).status, 'pass', `${id}: ${resultFor(results, id).message}`);
});

const faulted: readonly [CheckId, BooleanFault, 'fail' | 'warn', string][] = [
  ['cors.origin_reflection', 'cors_reflect_origin', 'fail', 'reflected'],
  ['cors.null_origin', 'cors_null_origin', 'fail', 'null_allowed'],
  ['cors.origin_validation', 'cors_lookalike', 'fail', 'lookalike_allowed'],
  ['cors.wildcard_credentials', 'cors_wildcard_credentials', 'fail', 'wildcard_with_credentials'],
  ['cors.wildcard_credentials', 'cors_wildcard', 'warn', 'wildcard'],
  ['cors.allowed_origin', 'cors_block_allowed', 'fail', 'origin_not_allowed'],
];

for (const [id, fault, status, reason] of faulted) {
  test(`${id} is ${status}/${reason} against the target with ${fault}`, { timeout: 15_000 }, async () => {
    const result = resultFor(await bench.run(corsProbe, { [fault]: true }), id);
    assert.equal(result.status, status, result.message);
    assert.equal(result.reason, reason, result.message);
  });
}

test('a reflected origin with credentials is critical and the evidence names the origin', { timeout: 15_000 }, async () => {
  const result = resultFor(await bench.run(corsProbe, { cors_reflect_origin: true }), 'cors.origin_reflection');
  assert.equal(result.severity, 'critical');
  assert.equal(result.evidence.reflectedOrigin, 'https://attacker.invalid');
});

test('a plain * passes the null and look-alike checks (checks.md note)', { timeout: 15_000 }, async () => {
  const results = await bench.run(corsProbe, { cors_wildcard: true });
  assert.equal(resultFor(results, 'cors.null_origin').status, 'pass');
  assert.equal(resultFor(results, 'cors.origin_validation').status, 'pass');
});

test('CORS is judged on a route the API serves, not its bare base that Express answers with a 404 page', { timeout: 15_000 }, async () => {
  let allowed = '';
  const expressLike = (path: string, method: string): SiteAnswer => {
    if (path !== '/api/export') {
      return {
        status: 404,
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: `<!DOCTYPE html><pre>Cannot ${method} ${path}</pre>`,
      };
    }
    const cors = { 'access-control-allow-origin': allowed, 'access-control-allow-credentials': 'true', vary: 'Origin' };
    return method === 'OPTIONS'
      ? {
          status: 204,
          headers: { ...cors, 'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE', 'access-control-allow-headers': '*' },
          body: '',
        }
      : { status: 401, headers: { ...cors, 'content-type': 'application/json' }, body: '{"error":"unauthenticated"}' };
  };
  const site = await startLoopbackSite(expressLike);
  allowed = site.baseUrl;
  try {
    const target = buildTarget({ baseUrl: site.baseUrl, caFile: site.caFile, publicApiPaths: [], routes: [] });
    assert.equal(corsUrl(target), `${site.baseUrl}/api/export`);
    const results = await bench.run(corsProbe, {}, {}, target);
    for (const id of corsProbe.checks) assert.equal(resultFor(results, id).status, 'pass', `${id}: ${resultFor(results, id).message}`);
  } finally {
    await site.close();
  }
});

test('corsUrl keeps to the API: a read or health URL elsewhere leaves the API base', () => {
  const api = 'https://a.test/api';
  assert.equal(corsUrl({ apiUrl: api, authenticatedReadUrl: 'https://a.test/export', healthUrl: `${api}/health` }), `${api}/health`);
  assert.equal(corsUrl({ apiUrl: api, authenticatedReadUrl: 'https://a.test/export', healthUrl: 'https://ops.a.test/health' }), api);
});
