import assert from 'node:assert/strict';
import { test } from 'node:test';
import { traceModeFor } from './run-config.js';

test('with retries a failing test is traced on its retry only; without, every test is recorded; an explicit mode wins', () => {
  assert.equal(traceModeFor(1), 'on-first-retry');
  assert.equal(traceModeFor(3), 'on-first-retry');
  assert.equal(traceModeFor(0), 'retain-on-failure', 'no retry to trace: a failure must still keep its trace');
  assert.equal(traceModeFor(1, 'on'), 'on');
  assert.equal(traceModeFor(0, 'retain-on-failure'), 'retain-on-failure');
});
