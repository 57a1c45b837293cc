import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TriggerState, TriggerStatus } from '../alerting/evaluator.js';
import { gateProgress } from './gate-progress.js';

const ORIGIN = 'https://shop.test';
const statuses = (slow: TriggerState): ReadonlyMap<string, readonly TriggerStatus[]> =>
  new Map([
    [
      ORIGIN,
      [
        { id: 'rollback.error_rate', state: 'ok', message: '', evidence: {}, since: 0 },
        { id: 'rollback.slow_responses', state: slow, message: '', evidence: {}, since: 0 },
      ] as TriggerStatus[],
    ],
  ]);

test('gate progress: every heartbeat the first minute, then on a change of state or every 30 s', () => {
  const lines: string[] = [];
  const beat = gateProgress(30 * 60_000, (line) => lines.push(line));
  for (let s = 10; s <= 50; s += 10) beat(s * 1000, statuses('insufficient_data'));
  assert.equal(lines.length, 5, 'each of the first minute');
  assert.equal(lines[0], `vor-watch gate: 10 s of 1800 s; ${ORIGIN}: rollback.error_rate ok, rollback.slow_responses insufficient_data\n`);
  for (let s = 60; s <= 80; s += 10) beat(s * 1000, statuses('insufficient_data'));
  assert.equal(lines.length, 6, 'steady after the first minute: the 60 s line only');
  beat(90_000, statuses('ok'));
  assert.equal(lines.length, 7, 'a state that changed is shown at once');
  assert.match(lines[6]!, /^vor-watch gate: 90 s of 1800 s; .*rollback\.slow_responses ok\n$/);
  for (let s = 100; s <= 120; s += 10) beat(s * 1000, statuses('ok'));
  assert.equal(lines.length, 8, '30 s after the last line, one more');
  assert.match(lines[7]!, /^vor-watch gate: 120 s of 1800 s/);
});
