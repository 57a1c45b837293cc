import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CheckId } from '../../src/core/catalogue.js';
import type { BooleanFault } from '../../target/faults.js';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import { staticProbe } from './probe.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench();
});
after(() => bench.close());

test('every static-asset check passes on the clean reference target', { timeout: 15_000 }, async () => {
  const results = await bench.run(staticProbe);
  for (const id of staticProbe.checks) assert.equal(resultFor(results, id).status, 'pass', `${id}: ${resultFor(results, id).message}`);
});

const faulted: readonly [CheckId, BooleanFault, 'fail' | 'warn', string][] = [
  ['static.cache_headers', 'static_no_store', 'fail', 'no_store'],
  ['static.cache_headers', 'static_short_cache', 'warn', 'short_max_age'],
  ['static.compression', 'static_uncompressed', 'fail', 'uncompressed'],
  ['static.cdn', 'no_cdn', 'warn', 'no_cdn'],
];

for (const [id, fault, status, reason] of faulted) {
  test(`${id} is ${status}/${reason} against the target with ${fault}`, { timeout: 15_000 }, async () => {
    const result = resultFor(await bench.run(staticProbe, { [fault]: true }), id);
    assert.equal(result.status, status, result.message);
    assert.equal(result.reason, reason, result.message);
  });
}
