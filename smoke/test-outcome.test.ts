import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingOf, worstOf, type TestOutcome } from './test-outcome.js';

const outcome = (overrides: Partial<TestOutcome>): TestOutcome => ({
  id: 'flow.login',
  title: 'the test user logs in',
  origin: 'https://127.0.0.1:8443',
  outcome: 'expected',
  attempts: ['passed'],
  ...overrides,
});

test('a test that passed only on retry is a flaky warn, not a pass', () => {
  const finding = findingOf(outcome({ outcome: 'flaky', attempts: ['failed', 'passed'], error: 'Timed out waiting for heading' }));
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'flaky');
  assert.match(finding.message, /passed only on retry 1/);
  assert.equal(finding.evidence.attempts, 2);
});

test('a failing flow takes its reason from the failed step, else from how it failed', () => {
  assert.equal(
    findingOf(outcome({ outcome: 'unexpected', attempts: ['failed'], reason: 'wrong_password_accepted', error: 'x' })).reason,
    'wrong_password_accepted',
  );
  assert.equal(findingOf(outcome({ outcome: 'unexpected', attempts: ['timedOut'], error: 'Test timeout' })).reason, 'timeout');
  assert.equal(findingOf(outcome({ outcome: 'unexpected', attempts: ['failed'], error: 'expect(x).toBe(y)' })).status, 'fail');
});

test('an unreachable target is an error with a network reason, not a failed flow', () => {
  const finding = findingOf(
    outcome({ outcome: 'unexpected', attempts: ['failed'], error: 'page.goto: net::ERR_CONNECTION_REFUSED at https://127.0.0.1:1/' }),
  );
  assert.equal(finding.status, 'error');
  assert.equal(finding.reason, 'connection_refused');
});

test('a skip keeps the reason and the message that says what would enable it', () => {
  const finding = findingOf(
    outcome({ outcome: 'skipped', attempts: ['skipped'], skipNote: 'no_credentials: set VOR_TEST_USER_EMAIL and VOR_TEST_USER_PASSWORD' }),
  );
  assert.equal(finding.status, 'skip');
  assert.equal(finding.reason, 'no_credentials');
  assert.match(finding.message, /VOR_TEST_USER_EMAIL/);
});

test('a test that never ran because setup failed is an error naming the setup failure', () => {
  const finding = findingOf(outcome({ outcome: 'skipped', attempts: [], setupFailure: 'sign in: 401' }));
  assert.equal(finding.status, 'error');
  assert.equal(finding.reason, 'setup_failed');
});

test('an attached warn finding is kept as it is', () => {
  const finding = findingOf(
    outcome({ id: 'perf.images', finding: { id: 'perf.images', status: 'warn', reason: 'legacy_format', message: 'png', evidence: {} } }),
  );
  assert.equal(finding.status, 'warn');
  assert.equal(finding.reason, 'legacy_format');
});

test('the worst of several findings for one id wins, and a skip does not hide a pass', () => {
  const pass = findingOf(outcome({}));
  const skip = findingOf(outcome({ outcome: 'skipped', attempts: ['skipped'], skipNote: 'no_credentials: x' }));
  const fail = findingOf(outcome({ outcome: 'unexpected', attempts: ['failed'], error: 'x' }));
  assert.equal(worstOf([skip, pass])?.status, 'pass');
  assert.equal(worstOf([pass, fail, skip])?.status, 'fail');
});
