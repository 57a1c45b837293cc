import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Status } from './result.js';
import { decideVerdict } from './verdict.js';

const cases: { statuses: Status[]; verdict: 'pass' | 'fail' }[] = [
  { statuses: [], verdict: 'pass' },
  { statuses: ['pass', 'warn', 'skip'], verdict: 'pass' },
  { statuses: ['pass', 'fail'], verdict: 'fail' },
  { statuses: ['pass', 'error'], verdict: 'fail' },
  { statuses: ['warn', 'warn'], verdict: 'pass' },
  { statuses: ['skip', 'error', 'pass'], verdict: 'fail' },
];

for (const c of cases) {
  test(`verdict of [${c.statuses.join(', ')}] is ${c.verdict === 'pass' ? 'GO' : 'NO-GO'}`, () => {
    assert.equal(decideVerdict(c.statuses.map((status) => ({ status }))), c.verdict);
  });
}
