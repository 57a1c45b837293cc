import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CheckId } from '../../src/core/catalogue.js';
import type { BooleanFault } from '../../target/faults.js';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import { headersProbe } from './probe.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench();
});
after(() => bench.close());

test('every headers check passes on the clean reference target', { timeout: 15_000 }, async () => {
  const results = await bench.run(headersProbe);
  for (const id of headersProbe.checks) assert.equal(resultFor(results, id).status, 'pass', `${id}: ${resultFor(results, id).message}`);
});

const faulted: readonly [CheckId, BooleanFault, 'fail' | 'warn', string][] = [
  ['headers.hsts', 'no_hsts', 'fail', 'missing'],
  ['headers.hsts', 'short_hsts', 'fail', 'max_age_too_short'],
  ['headers.hsts', 'hsts_no_subdomains', 'warn', 'no_include_subdomains'],
  ['headers.csp', 'no_csp', 'fail', 'missing'],
  ['headers.csp', 'unsafe_csp', 'warn', 'unsafe_inline'],
  ['headers.x_content_type_options', 'no_nosniff', 'fail', 'missing'],
  ['headers.frame_options', 'no_frame_options', 'fail', 'missing'],
  ['headers.referrer_policy', 'no_referrer_policy', 'warn', 'missing'],
  ['headers.referrer_policy', 'unsafe_referrer_policy', 'warn', 'unsafe_value'],
  ['headers.permissions_policy', 'no_permissions_policy', 'warn', 'missing'],
  ['headers.cross_origin_opener_policy', 'no_coop', 'warn', 'missing'],
  ['headers.x_powered_by', 'x_powered_by', 'fail', 'present'],
  ['headers.server_version', 'server_version', 'warn', 'version_disclosed'],
  ['headers.cache_control_sensitive', 'api_cacheable', 'fail', 'cacheable'],
];

for (const [id, fault, status, reason] of faulted) {
  test(`${id} is ${status}/${reason} against the target with ${fault}`, { timeout: 15_000 }, async () => {
    const result = resultFor(await bench.run(headersProbe, { [fault]: true }), id);
    assert.equal(result.status, status, result.message);
    assert.equal(result.reason, reason, result.message);
    assert.match(result.message, new RegExp(bench.running.baseUrl.replace(/[.:/]/g, '\\$&')));
  });
}
