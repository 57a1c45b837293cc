import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { CheckId } from '../../src/core/catalogue.js';
import type { BooleanFault } from '../../target/faults.js';
import { resultFor, startProbeBench, type ProbeBench } from '../../test/helpers/probe-target.js';
import { cookiesProbe, forgetCsrfControls } from './probe.js';

let bench: ProbeBench;
before(async () => {
  bench = await startProbeBench();
});
after(() => bench.close());

test('every cookie, token and CSRF check passes on the clean reference target with a real login', { timeout: 15_000 }, async () => {
  const results = await bench.run(cookiesProbe);
  for (const id of cookiesProbe.checks) assert.equal(resultFor(results, id).status, 'pass', `${id}: ${resultFor(results, id).message}`);
  assert.equal(resultFor(results, 'csrf.protection').evidence.status, 403);
});

const faulted: readonly [CheckId, BooleanFault, 'fail' | 'warn', string][] = [
  ['cookies.secure', 'cookie_no_secure', 'fail', 'missing_secure'],
  ['cookies.httponly', 'cookie_no_httponly', 'fail', 'missing_httponly'],
  ['cookies.samesite', 'cookie_samesite_none', 'fail', 'samesite_none'],
  ['cookies.samesite', 'cookie_no_samesite', 'warn', 'missing'],
  ['auth.token_lifetime', 'long_token_lifetime', 'fail', 'too_long'],
  ['auth.token_lifetime', 'jwt_no_exp', 'fail', 'no_exp'],
  ['csrf.protection', 'csrf_off', 'fail', 'accepted'],
];

for (const [id, fault, status, reason] of faulted) {
  test(`${id} is ${status}/${reason} against the target with ${fault}`, { timeout: 15_000 }, async () => {
    const result = resultFor(await bench.run(cookiesProbe, { [fault]: true }), id);
    assert.equal(result.status, status, result.message);
    assert.equal(result.reason, reason, result.message);
  });
}

test('without test credentials the login-dependent checks skip and say which variables to set', { timeout: 15_000 }, async () => {
  const { credentials: _dropped, ...anonymous } = bench.target;
  const results = await bench.run(cookiesProbe, {}, {}, anonymous);
  for (const id of ['auth.token_lifetime', 'csrf.protection'] as const) {
    const result = resultFor(results, id);
    assert.equal(result.status, 'skip', `${id}: ${result.message}`);
    assert.match(result.message, /VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD/);
  }
});

test('no result carries the test password or a session cookie value', { timeout: 15_000 }, async () => {
  const results = await bench.run(cookiesProbe, { cookie_no_httponly: true });
  const text = JSON.stringify([...results.values()]);
  assert.doesNotMatch(text, new RegExp(bench.running.testUser.password));
  assert.doesNotMatch(text, /vor_session=[A-Za-z0-9_-]{8,}/);
});

test('the same-origin control write goes out once per process per target, after a refused forged write', { timeout: 20_000 }, async () => {
  forgetCsrfControls();
  const first = resultFor(await bench.run(cookiesProbe), 'csrf.protection');
  assert.equal(first.status, 'pass', first.message);
  assert.equal(first.evidence.controlReused, false);
  const second = resultFor(await bench.run(cookiesProbe), 'csrf.protection');
  assert.equal(second.status, 'pass', second.message);
  assert.equal(second.evidence.controlReused, true);
  assert.match(second.message, /reused/);
  // An accepted forged write needs no control at all.
  const accepted = resultFor(await bench.run(cookiesProbe, { csrf_off: true }), 'csrf.protection');
  assert.equal(accepted.reason, 'accepted');
  assert.equal(accepted.evidence.controlStatus, null);
});
