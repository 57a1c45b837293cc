import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CheckId } from '../../src/core/catalogue.js';
import type { BooleanFault } from '../../target/faults.js';
import { buildTarget } from '../../src/core/target.js';
import { startLoopbackSite, type SiteAnswer } from '../../test/helpers/misconfigured.js';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import { exposureProbe } from './probe.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench();
});
after(() => bench.close());

test('every exposure check passes on the clean reference target', { timeout: 15_000 }, async () => {
  const results = await bench.run(exposureProbe);
  for (const id of exposureProbe.checks) assert.equal(resultFor(results, id).status, 'pass', `${id}: ${resultFor(results, id).message}`);
});

const faulted: readonly [CheckId, BooleanFault, 'fail' | 'warn', string][] = [
  ['exposure.sensitive_files', 'expose_env_file', 'fail', 'exposed'],
  ['exposure.sensitive_files', 'expose_git_config', 'fail', 'exposed'],
  ['exposure.secrets_in_bundle', 'secret_in_bundle', 'fail', 'secret_found'],
  ['exposure.test_keys', 'test_keys_in_bundle', 'fail', 'test_key'],
  ['exposure.source_maps', 'serve_source_maps', 'warn', 'served'],
  ['exposure.error_leak', 'sql_error_leak', 'fail', 'database_error'],
  ['exposure.error_leak', 'search_500', 'warn', 'server_error'],
];

for (const [id, fault, status, reason] of faulted) {
  test(`${id} is ${status}/${reason} against the target with ${fault}`, { timeout: 15_000 }, async () => {
    const result = resultFor(await bench.run(exposureProbe, { [fault]: true }), id);
    assert.equal(result.status, status, result.message);
    assert.equal(result.reason, reason, result.message);
  });
}

test('a live secret in the bundle is reported masked: no result contains the key itself', { timeout: 15_000 }, async () => {
  const results = await bench.run(exposureProbe, { secret_in_bundle: true, expose_env_file: true });
  const text = JSON.stringify([...results.values()]);
  assert.doesNotMatch(text, /sk_live_[0-9A-Za-z]{8,}/);
  assert.doesNotMatch(text, /DATABASE_URL=postgres/);
});

test('exposure.test_keys skips on a staging target', { timeout: 15_000 }, async () => {
  const results = await bench.run(
    exposureProbe,
    { test_keys_in_bundle: true },
    {},
    { ...bench.target, environment: 'staging', production: false },
  );
  assert.equal(resultFor(results, 'exposure.test_keys').status, 'skip');
});

test('a 270 KB source map whose "mappings" follows "sourcesContent" is found served', { timeout: 15_000 }, async () => {
  const code = `console.log("vör");\n//# sourceMappingURL=app.3f9a1c2b.js.map\n`;
  const map = `{"version":3,"file":"app.js","sourcesContent":[${JSON.stringify('export const x = 1;\n'.repeat(13_500))}],"sources":["app.ts"],"names":[],"mappings":"AAAA"}`;
  assert.ok(map.length > 270_000, `map is ${map.length} bytes`);
  const routes: Record<string, SiteAnswer> = {
    '/': { status: 200, headers: { 'content-type': 'text/html' }, body: '<!doctype html><script src="/assets/app.3f9a1c2b.js"></script>' },
    '/assets/app.3f9a1c2b.js': { status: 200, headers: { 'content-type': 'text/javascript' }, body: code },
    '/assets/app.3f9a1c2b.js.map': { status: 200, headers: { 'content-type': 'application/json' }, body: map },
  };
  const site = await startLoopbackSite(
    (path) => routes[path] ?? { status: 404, headers: { 'content-type': 'text/plain' }, body: 'not found' },
  );
  try {
    const target = buildTarget({ baseUrl: site.baseUrl, caFile: site.caFile, publicApiPaths: [], routes: [] });
    const results = await bench.run(exposureProbe, {}, {}, target);
    const result = resultFor(results, 'exposure.source_maps');
    assert.equal(result.status, 'warn', result.message);
    assert.equal(result.reason, 'served');
  } finally {
    await site.close();
  }
});
