import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import { formatGoal, judgeGoal, median, reportGoal } from './goals.js';

test('a goal is met at its bound in the direction that is better, missed past it', () => {
  assert.equal(judgeGoal({ bench: 'cli', goal: '--version', measured: 0.2, target: 0.2, unit: 's', better: 'lower' }).met, true);
  assert.equal(judgeGoal({ bench: 'cli', goal: '--version', measured: 0.21, target: 0.2, unit: 's', better: 'lower' }).met, false);
  assert.equal(judgeGoal({ bench: 'probe', goal: 'HTTPS', measured: 0.99, target: 1, unit: '×', better: 'higher' }).met, false);
  assert.match(
    formatGoal(
      judgeGoal({
        bench: 'probe',
        goal: 'HTTPS vs blackbox',
        measured: 1.03,
        target: 1,
        unit: '×',
        better: 'higher',
        detail: 'median of 6',
      }),
    ),
    /^GOAL probe HTTPS vs blackbox: 1\.03× \(goal ≥ 1×\) PASS — median of 6$/,
  );
});

test('reported goals are appended as JSON lines to VOR_BENCH_OUT for the README table', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'vor-bench-')), 'goals.jsonl');
  const before = process.env.VOR_BENCH_OUT;
  process.env.VOR_BENCH_OUT = out;
  try {
    reportGoal({ bench: 'cli', goal: '--version', measured: 0.5, target: 0.2, unit: 's', better: 'lower' });
  } finally {
    if (before === undefined) delete process.env.VOR_BENCH_OUT;
    else process.env.VOR_BENCH_OUT = before;
  }
  const lines = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { met: boolean; goal: string });
  assert.deepEqual(
    lines.map((l) => [l.goal, l.met]),
    [['--version', false]],
  );
});

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]));
});
