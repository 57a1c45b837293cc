import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CheckId } from '../../src/core/catalogue.js';
import type { BooleanFault } from '../../target/faults.js';
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
